// GET /health, /v1/stats and /v1/stats/daily.
#include <algorithm>
#include <chrono>
#include <queue>

#include <fmt/format.h>

#include "api/api_error.hpp"
#include "api/route_handlers.hpp"
#include "brotr/store.hpp"
#include "storage/row_json.hpp"
#include "util/clock.hpp"

namespace brotr::api {

std::string health_body(const Store& store) {
    const StoreSummary summary = store.summary();
    Json services = Json::object();
    for (const auto& state : store.service_states()) services[state.name] = {{"updated_at", state.updated_at}};
    Json out{{"status", "ok"},
             {"variant", std::string(to_string(store.variant()))},
             {"format_version", kStoreFormatVersion},
             {"events", summary.events},
             {"relays", summary.relays},
             {"changelog_head", summary.changelog_head},
             {"services", std::move(services)}};
    return out.dump();
}

std::string stats_body(const Store& store, const RouteOptions& options, QueryParams& params) {
    const std::size_t limit = params.integer("limit", 1, options.max_limit).value_or(options.default_limit);
    params.finish();
    Json relays = Json::array();
    for (const auto& r : store.relays_statistics()) relays.push_back(relay_statistics_json(r));
    Json kinds = Json::array();
    for (const auto& k : store.kind_counts_total()) kinds.push_back(kind_count_json(k));

    // The `limit` authors with the most events: a bounded heap over every
    // pubkey counter (smallest on top), then sorted for the answer.
    auto fewer = [](const PubkeyCount& a, const PubkeyCount& b) {
        if (a.event_count != b.event_count) return a.event_count > b.event_count;
        return a.pubkey < b.pubkey;
    };
    std::priority_queue<PubkeyCount, std::vector<PubkeyCount>, decltype(fewer)> top(fewer);
    store.for_each_pubkey_count([&](const PubkeyCount& p) {
        top.push(p);
        if (top.size() > limit) top.pop();
        return true;
    });
    std::vector<PubkeyCount> ranked;
    while (!top.empty()) {
        ranked.push_back(top.top());
        top.pop();
    }
    std::sort(ranked.begin(), ranked.end(), fewer);
    Json pubkeys = Json::array();
    for (const auto& p : ranked) pubkeys.push_back(pubkey_count_json(p));

    Json out{{"events_statistics", events_statistics_json(store.events_statistics(unix_now()))},
             {"relays_statistics", std::move(relays)},
             {"kind_counts_total", std::move(kinds)},
             {"pubkey_counts_total", std::move(pubkeys)}};
    return out.dump();
}

std::string stats_daily_body(const Store& store, QueryParams& params) {
    constexpr std::int64_t kDay = 86400;
    const auto days = static_cast<std::size_t>(params.integer("days", 1, kMaxStatisticsDays).value_or(60));
    params.finish();
    const std::int64_t today = unix_now() / kDay;
    const std::int64_t first = today - static_cast<std::int64_t>(days) + 1;
    if (first < 0) throw bad_param("days", "reaches before 1970-01-01");
    const std::vector<std::uint64_t> counts = store.events_per_day(first, days);
    Json daily = Json::array();
    for (std::size_t i = 0; i < counts.size(); ++i) {
        const std::int64_t day = first + static_cast<std::int64_t>(i);
        const std::chrono::year_month_day date{std::chrono::sys_days{std::chrono::days{day}}};
        daily.push_back({{"date", fmt::format("{:04}-{:02}-{:02}", static_cast<int>(date.year()),
                                              static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()))},
                         {"start", day * kDay},
                         {"events", counts[i]}});
    }
    return Json{{"daily", std::move(daily)}}.dump();
}

}  // namespace brotr::api
