#include "storage/row_json.hpp"

#include "brotr/hex.hpp"

namespace brotr {

Json json_opt(const std::optional<std::int64_t>& v) { return v ? Json(*v) : Json(nullptr); }
Json json_opt(const std::optional<std::int32_t>& v) { return v ? Json(*v) : Json(nullptr); }
Json json_opt(const std::optional<std::string>& v) { return v ? Json(*v) : Json(nullptr); }
Json json_opt(const std::optional<Decimal2>& v) {
    // The exact decimal text as a JSON number, as PostgreSQL's numeric prints.
    return v ? Json::parse(v->str()) : Json(nullptr);
}

Json events_statistics_json(const EventsStatistics& s) {
    return {
        {"total_events", s.total_events},
        {"unique_pubkeys", s.unique_pubkeys},
        {"unique_kinds", s.unique_kinds},
        {"earliest_event_timestamp", json_opt(s.earliest_event_timestamp)},
        {"latest_event_timestamp", json_opt(s.latest_event_timestamp)},
        {"regular_events", s.regular_events},
        {"replaceable_events", s.replaceable_events},
        {"ephemeral_events", s.ephemeral_events},
        {"addressable_events", s.addressable_events},
        {"events_last_hour", s.events_last_hour},
        {"events_last_24h", s.events_last_24h},
        {"events_last_7d", s.events_last_7d},
        {"events_last_30d", s.events_last_30d},
    };
}

Json relay_statistics_json(const RelayStatistics& r) {
    return {
        {"relay_url", r.relay_url},
        {"network", std::string(to_string(r.network))},
        {"inserted_at", r.inserted_at},
        {"event_count", r.event_count},
        {"unique_pubkeys", r.unique_pubkeys},
        {"first_event_timestamp", json_opt(r.first_event_timestamp)},
        {"last_event_timestamp", json_opt(r.last_event_timestamp)},
        {"avg_rtt_open", json_opt(r.avg_rtt_open)},
        {"avg_rtt_read", json_opt(r.avg_rtt_read)},
        {"avg_rtt_write", json_opt(r.avg_rtt_write)},
    };
}

Json nip11_json(const std::optional<Nip11>& d) {
    if (!d) return nullptr;
    // jsonb columns hold JSON text the store checked when it was written.
    auto raw = [](const std::optional<std::string>& s) { return s ? Json::parse(*s) : Json(nullptr); };
    return {
        {"name", json_opt(d->name)},
        {"description", json_opt(d->description)},
        {"banner", json_opt(d->banner)},
        {"icon", json_opt(d->icon)},
        {"pubkey", json_opt(d->pubkey)},
        {"contact", json_opt(d->contact)},
        {"supported_nips", raw(d->supported_nips)},
        {"software", json_opt(d->software)},
        {"version", json_opt(d->version)},
        {"privacy_policy", json_opt(d->privacy_policy)},
        {"terms_of_service", json_opt(d->terms_of_service)},
        {"limitation", raw(d->limitation)},
        {"extra_fields", raw(d->extra_fields)},
    };
}

Json nip66_json(const std::optional<Nip66>& n) {
    if (!n) return nullptr;
    return {
        {"openable", n->openable},           {"readable", n->readable},           {"writable", n->writable},
        {"rtt_open", json_opt(n->rtt_open)}, {"rtt_read", json_opt(n->rtt_read)}, {"rtt_write", json_opt(n->rtt_write)},
    };
}

Json snapshot_json(const StoredSnapshot& s) {
    return {
        {"generated_at", s.generated_at},
        {"nip11_id", s.nip11_id ? Json(to_hex(*s.nip11_id)) : Json(nullptr)},
        {"nip11", nip11_json(s.nip11)},
        {"nip66_id", s.nip66_id ? Json(to_hex(*s.nip66_id)) : Json(nullptr)},
        {"nip66", nip66_json(s.nip66)},
    };
}

Json kind_count_json(const KindCount& k) {
    return {{"kind", k.kind}, {"event_count", k.event_count}, {"unique_pubkeys", k.unique_pubkeys}};
}

Json kind_relay_count_json(const KindRelayCount& k) {
    return {{"kind", k.kind},
            {"relay_url", k.relay_url},
            {"event_count", k.event_count},
            {"unique_pubkeys", k.unique_pubkeys}};
}

Json pubkey_count_json(const PubkeyCount& p) {
    return {{"pubkey_hex", to_hex(p.pubkey)},
            {"event_count", p.event_count},
            {"unique_kinds", p.unique_kinds},
            {"first_event_timestamp", p.first_event_timestamp},
            {"last_event_timestamp", p.last_event_timestamp}};
}

Json pubkey_relay_count_json(const PubkeyRelayCount& p) {
    return {{"pubkey_hex", to_hex(p.pubkey)},
            {"relay_url", p.relay_url},
            {"event_count", p.event_count},
            {"unique_kinds", p.unique_kinds},
            {"first_event_timestamp", p.first_event_timestamp},
            {"last_event_timestamp", p.last_event_timestamp},
            {"kinds_used", p.kinds_used}};
}

Json table_sizes_json(const StoreSummary& t) {
    return {
        {"events", t.events},
        {"events_relays", t.event_relays},
        {"relays", t.relays},
        {"relay_metadata", t.relay_metadata},
        {"nip11", t.nip11},
        {"nip66", t.nip66},
        {"service_state", t.service_states},
    };
}

}  // namespace brotr
