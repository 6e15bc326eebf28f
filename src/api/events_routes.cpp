// GET /v1/events and /v1/events/{id}.
#include <algorithm>

#include "api/api_error.hpp"
#include "api/event_pages.hpp"
#include "api/route_handlers.hpp"
#include "brotr/hex.hpp"
#include "brotr/store.hpp"
#include "storage/row_json.hpp"

namespace brotr::api {

namespace {

constexpr std::size_t kMaxListValues = 1000;  // ids, authors, kinds or values of one tag per request

std::vector<Bytes32> hex_list(QueryParams& params, const std::string& name) {
    std::vector<Bytes32> out;
    for (const auto& text : params.list(name)) {
        auto bytes = parse_hex_array<32>(text);
        if (!bytes) {
            throw bad_param(name, "expected 64 lower-case hex characters, got \"" + text.substr(0, 80) + "\"");
        }
        out.push_back(*bytes);
    }
    if (out.size() > kMaxListValues) throw bad_param(name, "at most " + std::to_string(kMaxListValues) + " values");
    return out;
}

std::optional<std::int64_t> timestamp(QueryParams& params, const std::string& name) {
    auto v = params.integer(name, 0, 4294967295);  // the u32 range events carry
    if (!v) return std::nullopt;
    return static_cast<std::int64_t>(*v);
}

// The NIP-01 filter a query string spells; `limit` and `cursor` are read apart.
Filter filter_of(const Store& store, QueryParams& params) {
    Filter f;
    if (auto ids = hex_list(params, "ids"); !ids.empty()) f.ids = std::move(ids);
    if (auto authors = hex_list(params, "authors"); !authors.empty()) f.authors = std::move(authors);
    std::vector<std::uint16_t> kinds;
    for (const auto& text : params.list("kinds")) {
        char* end = nullptr;
        const long k = std::strtol(text.c_str(), &end, 10);
        if (text.empty() || *end != '\0' || k < 0 || k > 65535 || text.size() > 5) {
            throw bad_param("kinds", "expected integers 0 to 65535, got \"" + text.substr(0, 80) + "\"");
        }
        kinds.push_back(static_cast<std::uint16_t>(k));
    }
    if (kinds.size() > kMaxListValues) throw bad_param("kinds", "at most " + std::to_string(kMaxListValues) + " values");
    if (!kinds.empty()) f.kinds = std::move(kinds);
    for (auto& [name, value] : params.with_prefix("tag.")) {
        const bool letter = name.size() == 1 && ((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z'));
        if (!letter) throw bad_param("tag." + name, "tag filters name one letter, as tag.t=nostr");
        auto& values = f.tags[name[0]];
        values.push_back(value);
        if (values.size() > kMaxListValues)
            throw bad_param("tag." + name, "at most " + std::to_string(kMaxListValues) + " values");
    }
    if (!f.tags.empty() && store.variant() == StoreVariant::lilbrotr) {
        throw bad_param("tag." + std::string(1, f.tags.begin()->first),
                        "this archive is a lilbrotr store: it keeps no tags, so it cannot filter by them");
    }
    f.since = timestamp(params, "since");
    f.until = timestamp(params, "until");
    return f;
}

}  // namespace

std::string events_body(const Store& store, const RouteOptions& options, QueryParams& params) {
    Filter filter = filter_of(store, params);
    const std::size_t limit = params.integer("limit", 1, options.max_limit).value_or(options.default_limit);
    std::optional<EventCursor> cursor;
    if (auto text = params.single("cursor")) {
        cursor = decode_cursor(*text);
        if (!cursor) throw bad_param("cursor", "not a cursor this API gave; pass the `next` of a previous page");
    }
    params.finish();
    EventPage page = query_event_page(store, std::move(filter), cursor, limit, options.scan_budget);
    std::string body = "{\"events\":[";
    for (std::size_t i = 0; i < page.events.size(); ++i) {
        if (i) body.push_back(',');
        body += to_json(page.events[i]);
    }
    body += "],\"next\":";
    body += page.next ? "\"" + encode_cursor(*page.next) + "\"" : std::string("null");
    body.push_back('}');
    return body;
}

std::string event_body(const Store& store, const std::string& id_hex) {
    auto id = parse_hex_array<32>(id_hex);
    if (!id) throw bad_param("id", "expected 64 lower-case hex characters");
    auto event = store.get_event(*id);
    if (!event) throw ApiError(404, "no event with id " + id_hex);
    Json relays = Json::array();
    for (const auto& row : store.event_relays(*id)) relays.push_back({{"relay_url", row.relay_url}, {"seen_at", row.seen_at}});
    return "{\"event\":" + to_json(*event) + ",\"relays\":" + relays.dump() + "}";
}

}  // namespace brotr::api
