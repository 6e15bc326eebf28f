// The exporter's rows in COPY form: which columns each staging table gets,
// how a store row becomes those fields, and which rows PostgreSQL cannot
// hold at all (a NUL character: text and jsonb refuse it, while Nostr JSON
// may carry it as \u0000).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "brotr/event.hpp"
#include "brotr/store.hpp"
#include "exporters/pg_copy.hpp"
#include "nostr/event_json_escape.hpp"

namespace brotr::pg {

// Which events table the target has: full (tags, content) or light.
enum class EventColumns : std::uint8_t { full, light };

// The column list of a table's COPY, in the order the encoders write fields.
std::string_view copy_columns(ChangeTable table, EventColumns events);

// Why a row cannot be exported; nullopt when it can.
std::optional<std::string> unexportable_reason(const Event& event, EventColumns events);
std::optional<std::string> unexportable_reason(const ServiceState& state);

template <typename Buffer>
void encode_relay(const RelayRecord& r, Buffer& out) {
    out.start_row(3);
    out.add_text(r.url);
    out.add_text(to_string(r.network));
    out.add_int8(r.inserted_at);
    out.end_row();
}

template <typename Buffer>
void encode_event(const Event& e, EventColumns columns, Buffer& out) {
    out.start_row(columns == EventColumns::full ? 7 : 5);
    out.add_bytes(e.id);
    out.add_bytes(e.pubkey);
    out.add_int8(e.created_at);
    out.add_int4(e.kind);
    if (columns == EventColumns::full) {
        brotr::detail::append_tags_json(e.tags, out.begin_jsonb());
        out.end_jsonb();
        out.add_text(e.content);
    }
    out.add_bytes(e.sig);
    out.end_row();
}

template <typename Buffer>
void encode_event_relay(const EventRelayRow& r, Buffer& out) {
    out.start_row(3);
    out.add_bytes(r.event_id);
    out.add_text(r.relay_url);
    out.add_int8(r.seen_at);
    out.end_row();
}

namespace detail {
template <typename Buffer>
void add_optional_text(const std::optional<std::string>& v, Buffer& out) {
    if (v) out.add_text(*v);
    else out.add_null();
}
template <typename Buffer>
void add_optional_jsonb(const std::optional<std::string>& v, Buffer& out) {
    if (v) out.add_jsonb(*v);
    else out.add_null();
}
template <typename Buffer>
void add_optional_int4(const std::optional<std::int32_t>& v, Buffer& out) {
    if (v) out.add_int4(*v);
    else out.add_null();
}
template <typename Buffer>
void add_optional_id(const std::optional<Bytes32>& v, Buffer& out) {
    if (v) out.add_bytes(*v);
    else out.add_null();
}
}  // namespace detail

template <typename Buffer>
void encode_nip11(const Nip11Row& r, Buffer& out) {
    const Nip11& d = r.doc;
    out.start_row(14);
    out.add_bytes(r.id);
    for (const auto* text : {&d.name, &d.description, &d.banner, &d.icon, &d.pubkey, &d.contact})
        detail::add_optional_text(*text, out);
    detail::add_optional_jsonb(d.supported_nips, out);
    for (const auto* text : {&d.software, &d.version, &d.privacy_policy, &d.terms_of_service})
        detail::add_optional_text(*text, out);
    detail::add_optional_jsonb(d.limitation, out);
    detail::add_optional_jsonb(d.extra_fields, out);
    out.end_row();
}

template <typename Buffer>
void encode_nip66(const Nip66Row& r, Buffer& out) {
    out.start_row(7);
    out.add_bytes(r.id);
    out.add_bool(r.result.openable);
    out.add_bool(r.result.readable);
    out.add_bool(r.result.writable);
    detail::add_optional_int4(r.result.rtt_open, out);
    detail::add_optional_int4(r.result.rtt_read, out);
    detail::add_optional_int4(r.result.rtt_write, out);
    out.end_row();
}

template <typename Buffer>
void encode_relay_metadata(const RelayMetadataRow& r, Buffer& out) {
    out.start_row(4);
    out.add_text(r.relay_url);
    out.add_int8(r.generated_at);
    detail::add_optional_id(r.nip11_id, out);
    detail::add_optional_id(r.nip66_id, out);
    out.end_row();
}

template <typename Buffer>
void encode_service_state(const ServiceState& s, Buffer& out) {
    out.start_row(3);
    out.add_text(s.name);
    out.add_jsonb(s.state_json);
    out.add_int8(s.updated_at);
    out.end_row();
}

}  // namespace brotr::pg
