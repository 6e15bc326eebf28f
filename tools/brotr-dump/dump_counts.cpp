// brotr-dump kinds / pubkeys: kind_counts_total / kind_counts_by_relay and
// pubkey_counts_total / pubkey_counts_by_relay.
#include "brotr/hex.hpp"
#include "tools/brotr-dump/dump_commands.hpp"
#include "tools/brotr-dump/dump_format.hpp"

namespace brotr::dump {

int show_kinds(const Store& store, bool by_relay, bool json) {
    if (by_relay) {
        auto rows = store.kind_counts_by_relay();
        Json arr = Json::array();
        Table t({">kind", "relay_url", ">events", ">pubkeys"});
        for (const auto& r : rows) {
            if (json) arr.push_back(kind_relay_count_json(r));
            else t.add({std::to_string(r.kind), r.relay_url, format_count(r.event_count), format_count(r.unique_pubkeys)});
        }
        if (json) print_json(arr);
        else t.print(stdout);
        return 0;
    }
    auto rows = store.kind_counts_total();
    Json arr = Json::array();
    Table t({">kind", ">events", ">pubkeys"});
    for (const auto& r : rows) {
        if (json) arr.push_back(kind_count_json(r));
        else t.add({std::to_string(r.kind), format_count(r.event_count), format_count(r.unique_pubkeys)});
    }
    if (json) print_json(arr);
    else t.print(stdout);
    return 0;
}

int show_pubkeys(const Store& store, bool by_relay, std::size_t limit, bool json) {
    Json arr = Json::array();
    std::size_t n = 0;
    if (by_relay) {
        Table t({"pubkey_hex", "relay_url", ">events", ">kinds", "first (UTC)", "last (UTC)", "kinds_used"});
        store.for_each_pubkey_relay_count([&](const PubkeyRelayCount& p) {
            if (json) {
                arr.push_back(pubkey_relay_count_json(p));
            } else {
                std::string kinds;
                for (auto k : p.kinds_used) kinds += (kinds.empty() ? "" : ",") + std::to_string(k);
                t.add({to_hex(p.pubkey), p.relay_url, format_count(p.event_count), format_count(p.unique_kinds),
                       format_time(p.first_event_timestamp), format_time(p.last_event_timestamp), kinds});
            }
            return ++n < limit;
        });
        if (json) print_json(arr);
        else t.print(stdout);
        return 0;
    }
    Table t({"pubkey_hex", ">events", ">kinds", "first (UTC)", "last (UTC)"});
    store.for_each_pubkey_count([&](const PubkeyCount& p) {
        if (json) {
            arr.push_back(pubkey_count_json(p));
        } else {
            t.add({to_hex(p.pubkey), format_count(p.event_count), format_count(p.unique_kinds),
                   format_time(p.first_event_timestamp), format_time(p.last_event_timestamp)});
        }
        return ++n < limit;
    });
    if (json) print_json(arr);
    else t.print(stdout);
    return 0;
}

}  // namespace brotr::dump
