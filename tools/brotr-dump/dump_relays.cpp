// brotr-dump relays / relay <url> / metadata: the relay registry with its
// statistics (relays_statistics), one relay's metadata history, and the
// newest snapshot of every relay (relay_metadata_latest).
#include "brotr/hex.hpp"
#include "tools/brotr-dump/dump_commands.hpp"
#include "tools/brotr-dump/dump_format.hpp"

namespace brotr::dump {

namespace {

std::string yes_no(const std::optional<Nip66>& n, bool Nip66::*field) { return n ? ((*n).*field ? "yes" : "no") : "-"; }

}  // namespace

int show_relays(const Store& store, bool json) {
    auto stats = store.relays_statistics();
    if (json) {
        Json arr = Json::array();
        for (const auto& r : stats) arr.push_back(relay_statistics_json(r));
        print_json(arr);
        return 0;
    }
    Table t({"relay_url", "network", ">events", ">pubkeys", "first_event (UTC)", "last_event (UTC)", ">rtt_open",
             ">rtt_read", ">rtt_write"});
    for (const auto& r : stats)
        t.add({r.relay_url, std::string(to_string(r.network)), format_count(r.event_count), format_count(r.unique_pubkeys),
               format_time(r.first_event_timestamp), format_time(r.last_event_timestamp), format_opt(r.avg_rtt_open),
               format_opt(r.avg_rtt_read), format_opt(r.avg_rtt_write)});
    t.print(stdout);
    std::printf("%zu relays\n", stats.size());
    return 0;
}

int show_relay(const Store& store, const std::string& url, std::size_t limit, bool json) {
    auto relay = store.get_relay(url);
    if (!relay) {
        std::fprintf(stderr, "brotr-dump: relay %s is not in the store\n", url.c_str());
        return 1;
    }
    auto history = store.metadata_history(url, limit);
    if (json) {
        Json snaps = Json::array();
        for (const auto& s : history) snaps.push_back(snapshot_json(s));
        Json j;
        j["relay"] = {{"url", relay->url},
                      {"network", std::string(to_string(relay->network))},
                      {"inserted_at", relay->inserted_at},
                      {"newest_event_created_at", json_opt(store.newest_event_created_at(url))}};
        j["snapshots"] = snaps;
        print_json(j);
        return 0;
    }
    std::printf("relay %s (%s), registered %s UTC, newest event %s UTC\n\n", relay->url.c_str(),
                std::string(to_string(relay->network)).c_str(), format_time(relay->inserted_at).c_str(),
                format_time(store.newest_event_created_at(url)).c_str());
    Table t({"generated_at (UTC)", "open", "read", "write", ">rtt_open", ">rtt_read", ">rtt_write", "name", "software",
             "version"});
    for (const auto& s : history) {
        const auto& d = s.nip11;
        t.add({format_time(s.generated_at), yes_no(s.nip66, &Nip66::openable), yes_no(s.nip66, &Nip66::readable),
               yes_no(s.nip66, &Nip66::writable), s.nip66 ? format_opt(s.nip66->rtt_open) : "-",
               s.nip66 ? format_opt(s.nip66->rtt_read) : "-", s.nip66 ? format_opt(s.nip66->rtt_write) : "-",
               d ? format_opt(d->name) : "-", d ? format_opt(d->software) : "-", d ? format_opt(d->version) : "-"});
    }
    t.print(stdout);
    std::printf("%zu snapshots\n", history.size());
    return 0;
}

int show_metadata(const Store& store, bool json) {
    auto rows = store.relay_metadata_latest();
    if (json) {
        Json arr = Json::array();
        for (const auto& r : rows) {
            Json j = {{"relay_url", r.relay.url},
                      {"network", std::string(to_string(r.relay.network))},
                      {"inserted_at", r.relay.inserted_at}};
            if (r.latest) {
                Json s = snapshot_json(*r.latest);
                for (auto it = s.begin(); it != s.end(); ++it) j[it.key()] = it.value();
            } else {
                j["generated_at"] = nullptr;
            }
            arr.push_back(j);
        }
        print_json(arr);
        return 0;
    }
    Table t({"relay_url", "checked (UTC)", "open", "read", "write", ">rtt_open", "name", "software"});
    for (const auto& r : rows) {
        const auto* s = r.latest ? &*r.latest : nullptr;
        t.add({r.relay.url, s ? format_time(s->generated_at) : "never", s ? yes_no(s->nip66, &Nip66::openable) : "-",
               s ? yes_no(s->nip66, &Nip66::readable) : "-", s ? yes_no(s->nip66, &Nip66::writable) : "-",
               s && s->nip66 ? format_opt(s->nip66->rtt_open) : "-", s && s->nip11 ? format_opt(s->nip11->name) : "-",
               s && s->nip11 ? format_opt(s->nip11->software) : "-"});
    }
    t.print(stdout);
    return 0;
}

}  // namespace brotr::dump
