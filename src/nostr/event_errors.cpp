#include <ostream>

#include "brotr/event.hpp"

namespace brotr {

std::string_view to_string(EventError e) {
    switch (e) {
        case EventError::ok: return "ok";
        case EventError::malformed_json: return "malformed_json";
        case EventError::not_an_object: return "not_an_object";
        case EventError::duplicate_field: return "duplicate_field";
        case EventError::missing_field: return "missing_field";
        case EventError::bad_id: return "bad_id";
        case EventError::bad_pubkey: return "bad_pubkey";
        case EventError::bad_sig: return "bad_sig";
        case EventError::bad_created_at: return "bad_created_at";
        case EventError::bad_kind: return "bad_kind";
        case EventError::bad_tags: return "bad_tags";
        case EventError::bad_content: return "bad_content";
        case EventError::invalid_utf8: return "invalid_utf8";
        case EventError::id_mismatch: return "id_mismatch";
        case EventError::invalid_signature: return "invalid_signature";
    }
    return "unknown";
}

std::string_view describe(EventError e) {
    switch (e) {
        case EventError::ok: return "valid event";
        case EventError::malformed_json: return "not valid JSON, or text after the event object";
        case EventError::not_an_object: return "the event must be a JSON object";
        case EventError::duplicate_field: return "a field appears more than once";
        case EventError::missing_field:
            return "one of id, pubkey, created_at, kind, tags, content, sig is missing";
        case EventError::bad_id: return "id must be 64 lower-case hex characters";
        case EventError::bad_pubkey: return "pubkey must be 64 lower-case hex characters";
        case EventError::bad_sig: return "sig must be 128 lower-case hex characters";
        case EventError::bad_created_at: return "created_at must be a non-negative integer";
        case EventError::bad_kind: return "kind must be an integer between 0 and 65535";
        case EventError::bad_tags: return "tags must be an array of arrays of strings";
        case EventError::bad_content: return "content must be a string";
        case EventError::invalid_utf8: return "a string is not valid UTF-8";
        case EventError::id_mismatch: return "id is not the SHA-256 of the canonical serialization";
        case EventError::invalid_signature: return "the signature does not verify for pubkey";
    }
    return "unknown error";
}

std::ostream& operator<<(std::ostream& out, EventError e) { return out << to_string(e); }

}  // namespace brotr
