// GET /v1/relays, /v1/relays/{url} and /v1/relays/{url}/metadata.
#include <algorithm>
#include <map>

#include "api/api_error.hpp"
#include "api/route_handlers.hpp"
#include "brotr/relay_url.hpp"
#include "brotr/store.hpp"
#include "storage/row_json.hpp"

namespace brotr::api {

namespace {

// The normalized URL a path segment names; 404 when it is no relay URL, as
// no relay can be stored under it.
RelayUrl relay_url_of(const std::string& text) {
    std::string why;
    auto url = RelayUrl::parse(text, &why);
    if (!url) throw ApiError(404, "not a relay URL (" + why + "): " + text.substr(0, 200));
    return *url;
}

// What a relays row shows of its newest snapshot: the NIP-11 fields people
// look for and the NIP-66 results with their round-trip times.
Json latest_json(const std::optional<StoredSnapshot>& s) {
    Json j{{"checked_at", nullptr}, {"name", nullptr},     {"software", nullptr}, {"version", nullptr},
           {"supported_nips", nullptr}, {"openable", nullptr}, {"readable", nullptr}, {"writable", nullptr},
           {"rtt_open", nullptr}, {"rtt_read", nullptr}, {"rtt_write", nullptr}};
    if (!s) return j;
    j["checked_at"] = s->generated_at;
    if (s->nip11) {
        Json doc = nip11_json(s->nip11);
        for (const char* field : {"name", "software", "version", "supported_nips"}) j[field] = doc[field];
    }
    if (s->nip66) {
        Json result = nip66_json(s->nip66);
        for (const char* field : {"openable", "readable", "writable", "rtt_open", "rtt_read", "rtt_write"})
            j[field] = result[field];
    }
    return j;
}

}  // namespace

std::string relays_body(const Store& store, const RouteOptions& options, QueryParams& params) {
    std::optional<Network> network;
    if (auto text = params.single("network")) {
        if (*text == "clearnet") network = Network::clearnet;
        else if (*text == "tor") network = Network::tor;
        else throw bad_param("network", "expected clearnet or tor, got \"" + text->substr(0, 80) + "\"");
    }
    const std::optional<bool> openable = params.boolean("openable");
    const std::size_t limit = params.integer("limit", 1, options.max_limit).value_or(options.default_limit);
    const std::optional<std::string> cursor = params.single("cursor");  // the last URL of the previous page
    params.finish();

    std::map<std::string, std::uint64_t> event_counts;
    for (const auto& r : store.relays_statistics()) event_counts[r.relay_url] = r.event_count;
    std::vector<RelayLatest> rows = store.relay_metadata_latest();
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.relay.url < b.relay.url; });

    Json relays = Json::array();
    std::optional<std::string> next;
    for (const auto& row : rows) {
        if (cursor && row.relay.url <= *cursor) continue;
        if (network && row.relay.network != *network) continue;
        if (openable) {
            const bool is_openable = row.latest && row.latest->nip66 && row.latest->nip66->openable;
            if (is_openable != *openable) continue;
        }
        if (relays.size() == limit) {
            next = relays.back()["url"].get<std::string>();
            break;
        }
        Json j{{"url", row.relay.url},
               {"network", std::string(to_string(row.relay.network))},
               {"inserted_at", row.relay.inserted_at},
               {"event_count", event_counts[row.relay.url]}};
        j.update(latest_json(row.latest));
        relays.push_back(std::move(j));
    }
    Json out{{"relays", std::move(relays)}, {"next", next ? Json(*next) : Json(nullptr)}};
    return out.dump();
}

std::string relay_body(const Store& store, const std::string& text) {
    const RelayUrl url = relay_url_of(text);
    auto relay = store.get_relay(url.str());
    if (!relay) throw ApiError(404, "no relay " + url.str() + " in this archive");
    auto latest = store.latest_metadata(url.str());
    Json statistics = nullptr;
    for (const auto& r : store.relays_statistics())
        if (r.relay_url == url.str()) statistics = relay_statistics_json(r);
    Json out{{"url", relay->url},
             {"network", std::string(to_string(relay->network))},
             {"inserted_at", relay->inserted_at},
             {"latest", latest ? snapshot_json(*latest) : Json(nullptr)},
             {"statistics", std::move(statistics)}};
    return out.dump();
}

std::string relay_metadata_body(const Store& store, const RouteOptions& options, const std::string& text,
                                QueryParams& params) {
    const RelayUrl url = relay_url_of(text);
    const std::size_t limit = params.integer("limit", 1, options.max_limit).value_or(options.default_limit);
    // Snapshots older than this generated_at: the `next` of the previous page.
    const auto before = params.integer("cursor", 0, INT64_MAX);
    params.finish();
    if (!store.get_relay(url.str())) throw ApiError(404, "no relay " + url.str() + " in this archive");
    Json snapshots = Json::array();
    std::optional<std::int64_t> next;
    for (const auto& s : store.metadata_history(url.str())) {  // newest first
        if (before && s.generated_at >= static_cast<std::int64_t>(*before)) continue;
        if (snapshots.size() == limit) {
            next = snapshots.back()["generated_at"].get<std::int64_t>();
            break;
        }
        snapshots.push_back(snapshot_json(s));
    }
    Json out{{"relay_url", url.str()},
             {"snapshots", std::move(snapshots)},
             {"next", next ? Json(std::to_string(*next)) : Json(nullptr)}};
    return out.dump();
}

}  // namespace brotr::api
