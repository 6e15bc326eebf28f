#include "exporters/row_encoding.hpp"

#include <cstring>

#include "model/jsonb_text.hpp"

namespace brotr::pg {
namespace {

bool has_nul(std::string_view text) { return std::memchr(text.data(), '\0', text.size()) != nullptr; }

}  // namespace

std::string_view copy_columns(ChangeTable table, EventColumns events) {
    switch (table) {
        case ChangeTable::relays: return "url, network, inserted_at";
        case ChangeTable::events:
            return events == EventColumns::full ? "id, pubkey, created_at, kind, tags, content, sig"
                                                : "id, pubkey, created_at, kind, sig";
        case ChangeTable::events_relays: return "event_id, relay_url, seen_at";
        case ChangeTable::nip11:
            return "id, name, description, banner, icon, pubkey, contact, supported_nips, software, version, "
                   "privacy_policy, terms_of_service, limitation, extra_fields";
        case ChangeTable::nip66: return "id, openable, readable, writable, rtt_open, rtt_read, rtt_write";
        case ChangeTable::relay_metadata: return "relay_url, generated_at, nip11_id, nip66_id";
        case ChangeTable::service_state: return "service_name, state, updated_at";
    }
    return {};
}

std::optional<std::string> unexportable_reason(const Event& event, EventColumns events) {
    if (events == EventColumns::light) return std::nullopt;  // only fixed-size fields are exported
    if (has_nul(event.content)) return "content holds a NUL character, which PostgreSQL text cannot store";
    for (const Tag& tag : event.tags)
        for (const std::string& value : tag)
            if (has_nul(value)) return "a tag holds a NUL character (\\u0000), which PostgreSQL jsonb cannot store";
    return std::nullopt;
}

std::optional<std::string> unexportable_reason(const ServiceState& state) {
    if (has_nul(state.name)) return "the service name holds a NUL character";
    try {
        (void)to_jsonb_text(state.state_json);
    } catch (const JsonbError& e) {
        return std::string("the state is not valid PostgreSQL jsonb: ") + e.what();
    }
    return std::nullopt;
}

}  // namespace brotr::pg
