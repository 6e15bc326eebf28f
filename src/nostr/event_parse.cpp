// The event parser: one pass over the untrusted text straight into an Event.
// Syntax errors stop it at once; a field of the wrong type or shape is
// remembered (the first one wins), skipped, and parsing goes on, so that a
// well-formed text gets the most specific reason and a broken one gets
// malformed_json.
#include <span>
#include <string>
#include <unordered_set>
#include <vector>

#include "brotr/event.hpp"
#include "brotr/hex.hpp"
#include "nostr/event_json_reader.hpp"
#include "nostr/event_sha256.hpp"

namespace brotr {
namespace {

using detail::JsonNumber;
using detail::JsonReader;
using detail::ReadFailure;

enum FieldBit : unsigned {
    kId = 1u << 0,
    kPubkey = 1u << 1,
    kCreatedAt = 1u << 2,
    kKind = 1u << 3,
    kTags = 1u << 4,
    kContent = 1u << 5,
    kSig = 1u << 6,
    kAllFields = (1u << 7) - 1,
};

struct FieldInfo {
    std::string_view name;
    FieldBit bit;
};
constexpr FieldInfo kFields[] = {
    {"id", kId},     {"pubkey", kPubkey},   {"created_at", kCreatedAt}, {"kind", kKind},
    {"tags", kTags}, {"content", kContent}, {"sig", kSig},
};

// The input text of the parts of the canonical serialization, kept when it
// is already canonical so that the id can be hashed straight from the input
// without serializing the event again.
struct CanonicalParts {
    std::string_view pubkey;      // 64 hex digits
    std::string_view created_at;  // digits
    std::string_view kind;        // digits
    std::string_view tags;        // [...]
    std::string_view content;     // "..." with its quotes
    bool usable = true;
};

class EventParser {
public:
    EventParser(std::string_view json, Event& event) : reader_(json), event_(event) {}

    // Returns ok or the reason the text is not an event (detail filled).
    EventError run();
    std::string take_detail() { return std::move(detail_); }
    // After run() returned ok: the id computed from the input text when it
    // was canonical, else by serializing the event.
    Bytes32 compute_id() const;

private:
    bool parse_members();
    bool parse_member(std::string_view key);
    bool parse_hex(std::span<std::uint8_t> out, EventError error, std::string_view name,
                   std::string_view* raw = nullptr);
    std::string_view text_since(const char* start) const {
        return std::string_view(start, static_cast<std::size_t>(reader_.position() - start));
    }
    bool parse_created_at();
    bool parse_kind();
    bool parse_tags();
    bool parse_tag_list();
    bool parse_tag(Tag& tag, std::size_t tag_index);
    bool parse_content();
    bool read_key(std::string_view& key);

    // Records a field error (only the first one is kept).
    void note(EventError error, std::string detail) {
        if (error_ != EventError::ok) return;
        error_ = error;
        detail_ = std::move(detail);
    }
    EventError read_failure();

    JsonReader reader_;
    Event& event_;
    unsigned seen_ = 0;
    std::unordered_set<std::string> unknown_keys_;  // to spot duplicated unknown fields
    std::string scratch_;                    // decoded key or hex text that had escapes
    std::string key_scratch_;
    CanonicalParts canonical_;
    EventError error_ = EventError::ok;
    std::string detail_;
};

EventError EventParser::read_failure() {
    const std::string_view reason =
        reader_.failure_reason().empty() ? std::string_view("unexpected character") : reader_.failure_reason();
    detail_ = std::string(reason) + " at byte " + std::to_string(reader_.failure_offset());
    return reader_.failure() == ReadFailure::invalid_utf8 ? EventError::invalid_utf8 : EventError::malformed_json;
}

EventError EventParser::run() {
    reader_.skip_whitespace();
    if (reader_.peek() != '{') {
        // Tell a JSON value of another type apart from text that is not JSON.
        if (reader_.skip_value()) {
            reader_.skip_whitespace();
            if (reader_.at_end()) {
                detail_.clear();
                return EventError::not_an_object;
            }
            reader_.fail_syntax();
        }
        return read_failure();
    }
    if (!parse_members()) return read_failure();
    reader_.skip_whitespace();
    if (!reader_.at_end()) {
        reader_.fail_syntax();
        detail_ = "text after the event object at byte " + std::to_string(reader_.offset());
        return EventError::malformed_json;
    }
    if (error_ != EventError::ok) return error_;
    if (seen_ != kAllFields) {
        for (const auto& f : kFields) {
            if ((seen_ & f.bit) == 0) {
                detail_ = "no \"" + std::string(f.name) + "\" field";
                break;
            }
        }
        return EventError::missing_field;
    }
    return EventError::ok;
}

bool EventParser::parse_members() {
    reader_.consume('{');
    reader_.skip_whitespace();
    if (reader_.consume('}')) return true;
    for (;;) {
        reader_.skip_whitespace();
        std::string_view key;
        if (!read_key(key)) return false;
        reader_.skip_whitespace();
        if (!reader_.consume(':')) return reader_.fail_syntax();
        reader_.skip_whitespace();
        if (!parse_member(key)) return false;
        reader_.skip_whitespace();
        if (reader_.consume(',')) continue;
        if (reader_.consume('}')) return true;
        return reader_.fail_syntax();
    }
}

bool EventParser::read_key(std::string_view& key) {
    if (reader_.peek() != '"') return reader_.fail_syntax();
    if (reader_.read_plain_string(key)) return true;
    // A key with escapes or non-ASCII text: decode it ("\u0069d" is "id").
    key_scratch_.clear();
    if (!reader_.read_string(&key_scratch_)) return false;
    key = key_scratch_;
    return true;
}

bool EventParser::parse_member(std::string_view key) {
    for (const auto& f : kFields) {
        if (f.name != key) continue;
        if ((seen_ & f.bit) != 0) {
            note(EventError::duplicate_field, "\"" + std::string(key) + "\" appears more than once");
            return reader_.skip_value();
        }
        seen_ |= f.bit;
        switch (f.bit) {
            case kId: return parse_hex(event_.id, EventError::bad_id, "id");
            case kPubkey: return parse_hex(event_.pubkey, EventError::bad_pubkey, "pubkey", &canonical_.pubkey);
            case kSig: return parse_hex(event_.sig, EventError::bad_sig, "sig");
            case kCreatedAt: return parse_created_at();
            case kKind: return parse_kind();
            case kTags: return parse_tags();
            case kContent: return parse_content();
            default: break;
        }
    }
    // Unknown fields are allowed (NIPs add them) but still may not repeat.
    if (!unknown_keys_.emplace(key).second) {
        note(EventError::duplicate_field, "\"" + std::string(key) + "\" appears more than once");
    }
    return reader_.skip_value();
}

bool EventParser::parse_hex(std::span<std::uint8_t> out, EventError error, std::string_view name,
                            std::string_view* raw) {
    if (reader_.peek() != '"') {
        note(error, std::string(name) + " is not a string");
        return reader_.skip_value();
    }
    // Almost every event has plain hex here: decode it in place.
    const char* start = reader_.position();
    if (reader_.read_exact_hex(out)) {
        if (raw != nullptr) *raw = text_since(start + 1).substr(0, out.size() * 2);
        return true;
    }
    canonical_.usable = false;
    std::string_view text;
    if (!reader_.read_plain_string(text)) {
        scratch_.clear();
        if (!reader_.read_string(&scratch_)) return false;
        text = scratch_;
    }
    if (!from_hex_lower(text, out)) {
        if (text.size() != out.size() * 2) {
            note(error, std::string(name) + " has " + std::to_string(text.size()) + " characters, expected " +
                            std::to_string(out.size() * 2));
        } else {
            note(error, std::string(name) + " contains a character that is not lower-case hex");
        }
    }
    return true;
}

bool EventParser::parse_created_at() {
    const char c = reader_.peek();
    if (c != '-' && (c < '0' || c > '9')) {
        note(EventError::bad_created_at, "created_at is not a number");
        return reader_.skip_value();
    }
    JsonNumber n;
    const char* start = reader_.position();
    if (!reader_.read_number(n)) return false;
    canonical_.created_at = text_since(start);
    if (!n.integral || n.negative || n.overflow || n.magnitude > static_cast<std::uint64_t>(INT64_MAX)) {
        note(EventError::bad_created_at, "created_at is negative, fractional or too large");
        return true;
    }
    event_.created_at = static_cast<std::int64_t>(n.magnitude);
    return true;
}

bool EventParser::parse_kind() {
    const char c = reader_.peek();
    if (c != '-' && (c < '0' || c > '9')) {
        note(EventError::bad_kind, "kind is not a number");
        return reader_.skip_value();
    }
    JsonNumber n;
    const char* start = reader_.position();
    if (!reader_.read_number(n)) return false;
    canonical_.kind = text_since(start);
    if (!n.integral || n.negative || n.overflow || n.magnitude > 65535) {
        note(EventError::bad_kind, "kind is negative, fractional or above 65535");
        return true;
    }
    event_.kind = static_cast<std::uint16_t>(n.magnitude);
    return true;
}

bool EventParser::parse_tags() {
    if (reader_.peek() != '[') {
        note(EventError::bad_tags, "tags is not an array");
        return reader_.skip_value();
    }
    const char* start = reader_.position();
    reader_.reset_canonical();
    if (!parse_tag_list()) return false;
    canonical_.tags = text_since(start);
    if (!reader_.canonical()) canonical_.usable = false;
    return true;
}

bool EventParser::parse_tag_list() {
    reader_.consume('[');
    reader_.skip_whitespace();
    if (reader_.consume(']')) return true;
    event_.tags.reserve(8);
    for (std::size_t index = 0;; ++index) {
        reader_.skip_whitespace();
        if (reader_.peek() == '[') {
            event_.tags.emplace_back();
            if (!parse_tag(event_.tags.back(), index)) return false;
        } else {
            note(EventError::bad_tags, "tag " + std::to_string(index) + " is not an array");
            if (!reader_.skip_value()) return false;
        }
        reader_.skip_whitespace();
        if (reader_.consume(',')) continue;
        if (reader_.consume(']')) return true;
        return reader_.fail_syntax();
    }
}

bool EventParser::parse_tag(Tag& tag, std::size_t tag_index) {
    reader_.consume('[');
    reader_.skip_whitespace();
    if (reader_.consume(']')) return true;
    // Most tags have two to four elements: one allocation instead of three
    // (capacity 1, 2, 4), each moving the strings already read.
    tag.reserve(4);
    for (std::size_t index = 0;; ++index) {
        reader_.skip_whitespace();
        if (reader_.peek() == '"') {
            tag.emplace_back();
            if (!reader_.read_string(&tag.back())) return false;
        } else {
            note(EventError::bad_tags, "element " + std::to_string(index) + " of tag " +
                                           std::to_string(tag_index) + " is not a string");
            if (!reader_.skip_value()) return false;
        }
        reader_.skip_whitespace();
        if (reader_.consume(',')) continue;
        if (reader_.consume(']')) return true;
        return reader_.fail_syntax();
    }
}

bool EventParser::parse_content() {
    if (reader_.peek() != '"') {
        note(EventError::bad_content, "content is not a string");
        return reader_.skip_value();
    }
    const char* start = reader_.position();
    reader_.reset_canonical();
    if (!reader_.read_string(&event_.content)) return false;
    canonical_.content = text_since(start);
    if (!reader_.canonical()) canonical_.usable = false;
    return true;
}

Bytes32 EventParser::compute_id() const {
    if (!canonical_.usable) return compute_event_id(event_);
    // The short leading parts go into one update: each update call has a cost.
    char head[160];
    std::size_t used = 0;
    auto put = [&](std::string_view part) {
        part.copy(head + used, part.size());
        used += part.size();
    };
    if (canonical_.created_at.size() > 20 || canonical_.kind.size() > 5) return compute_event_id(event_);
    put("[0,\"");
    put(canonical_.pubkey);
    put("\",");
    put(canonical_.created_at);
    put(",");
    put(canonical_.kind);
    put(",");
    thread_local detail::Sha256 hasher;
    hasher.reset();
    hasher.update(head, used);
    hasher.update(canonical_.tags);
    hasher.update(",");
    hasher.update(canonical_.content);
    hasher.update("]");
    return hasher.finish();
}

}  // namespace

ParsedEvent parse_and_check_event(std::string_view json) {
    ParsedEvent result;
    Event& event = result.event.emplace();
    EventParser parser(json, event);
    result.error = parser.run();
    if (result.error == EventError::ok) {
        if (parser.compute_id() != event.id) {
            result.error = EventError::id_mismatch;
        } else if (!verify_signature(event)) {
            result.error = EventError::invalid_signature;
        }
    }
    if (result.error != EventError::ok) {
        result.event.reset();
        result.detail = parser.take_detail();
    }
    return result;
}

ParsedEvent parse_event(std::string_view json) {
    ParsedEvent result;
    Event& event = result.event.emplace();
    EventParser parser(json, event);
    result.error = parser.run();
    if (result.error != EventError::ok) {
        result.event.reset();
        result.detail = parser.take_detail();
    }
    return result;
}

}  // namespace brotr
