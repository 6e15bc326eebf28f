#include "services/relay_url_extract.hpp"

#include "model/jsonb_text.hpp"
#include "services/canonical_json_walk.hpp"
#include "util/text.hpp"

namespace brotr::services {

namespace {


bool starts_with_nocase(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != prefix[i]) return false;
    }
    return true;
}

void offer(std::string_view text, const std::function<void(std::string_view)>& found) {
    text = trim(text);
    if (looks_like_relay_url(text)) found(text);
}

// Kind 3 content: {"wss://relay": {"read": true, "write": true}, ...}. Any
// content that is not a JSON object (most of them: empty) yields nothing.
void contact_list_relays(std::string_view content, const std::function<void(std::string_view)>& found) {
    if (trim(content).empty() || trim(content).front() != '{') return;
    std::string canonical;
    try {
        canonical = to_jsonb_text(content);
    } catch (const JsonbError&) {
        return;
    }
    auto members = json_walk::members(canonical);
    if (!members) return;
    for (const auto& [key, value] : *members) offer(key, found);
}

}  // namespace

bool looks_like_relay_url(std::string_view text) {
    text = trim(text);
    return starts_with_nocase(text, "ws://") || starts_with_nocase(text, "wss://");
}

void extract_relay_urls(const Event& event, const std::function<void(std::string_view)>& found) {
    if (event.kind == 2) offer(event.content, found);
    if (event.kind == 3) contact_list_relays(event.content, found);
    // NIP-65 "r" tags, the relay hints of "e", "p" and "a" tags and every
    // other URL-valued tag are all tag values that start with ws:// or wss://.
    for (const Tag& tag : event.tags) {
        for (std::size_t i = 1; i < tag.size(); ++i) offer(tag[i], found);
    }
}

}  // namespace brotr::services
