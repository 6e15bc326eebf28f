// The HTTP API's routes, called as plain functions on a real store: paging
// order and completeness (also while events arrive and under a tiny scan
// budget), each endpoint's fields, and every kind of bad input.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <ctime>
#include <map>
#include <set>

#include "api/routes.hpp"
#include "brotr/hex.hpp"
#include "brotr/store.hpp"
#include "support/test_env.hpp"
#include "unit/test_store_fixtures.hpp"
#include "util/clock.hpp"

namespace brotr::api {
namespace {

using nlohmann::json;
using test::EventGenerator;
using test::TempDir;

const RelayUrl kRelayA = *RelayUrl::parse("wss://a.example.com");
const RelayUrl kRelayB = *RelayUrl::parse("wss://b.example.com");
const RelayUrl kOnion = *RelayUrl::parse("ws://abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuv.onion");

// created_at descending, then id ascending: the API's order.
bool api_order(const Event& a, const Event& b) {
    if (a.created_at != b.created_at) return a.created_at > b.created_at;
    return a.id < b.id;
}

class ApiRoutes : public ::testing::Test {
protected:
    void SetUp() override {
        store_ = std::make_unique<Store>(Store::init((dir_ / "store").string(), StoreVariant::bigbrotr));
        // 400 events squeezed into 60 seconds, so that many share a second.
        for (int i = 0; i < 400; ++i) {
            Event e = gen_.next();
            e = gen_.make(e.kind, e.content, e.tags, 1'700'000'000 + (i % 60), static_cast<std::size_t>(i % 7));
            all_.push_back(e);
        }
        insert(all_, kRelayA);
        insert(std::vector<Event>(all_.begin(), all_.begin() + 50), kRelayB);
        Nip11 doc;
        doc.name = "Relay A";
        doc.software = "git+https://github.com/hoytech/strfry.git";
        doc.version = "1.0.0";
        doc.supported_nips = "[1,11,45]";
        ASSERT_TRUE(store_->insert_relay_metadata({kRelayA.str(), 1000, doc, Nip66{true, true, false, 120, 80, {}}}));
        ASSERT_TRUE(store_->insert_relay_metadata({kRelayA.str(), 2000, doc, Nip66{true, true, false, 100, 60, {}}}));
        ASSERT_TRUE(store_->insert_relay_metadata({kRelayB.str(), 1500, std::nullopt, Nip66{false, false, false, {}, {}, {}}}));
        ASSERT_TRUE(store_->insert_relay(kOnion, 10));
    }

    void insert(const std::vector<Event>& events, const RelayUrl& relay) {
        std::vector<EventWithRelay> items;
        for (const auto& e : events) items.push_back({e, &relay, 1'700'000'100, false});
        store_->insert_events(items);
    }

    HttpResponse get(const std::string& target, const std::string& method = "GET") const {
        Routes routes(*store_, options_);
        return routes.handle({method, target});
    }

    json get_json(const std::string& target) const {
        HttpResponse r = get(target);
        EXPECT_EQ(r.status, 200) << target << ": " << r.body;
        EXPECT_EQ(r.content_type, "application/json");
        return json::parse(r.body);
    }

    // Follows `next` from the first page; every id, in the order served.
    std::vector<std::string> all_pages(const std::string& base, std::size_t* pages = nullptr) const {
        std::vector<std::string> ids;
        std::string target = base;
        for (std::size_t n = 1;; ++n) {
            json page = get_json(target);
            for (const auto& e : page["events"]) ids.push_back(e["id"]);
            if (page["next"].is_null()) {
                if (pages) *pages = n;
                return ids;
            }
            EXPECT_LT(n, 10000u) << "paging does not end";
            if (n >= 10000) return ids;
            target = base + (base.find('?') == std::string::npos ? "?" : "&") +
                     "cursor=" + page["next"].get<std::string>();
        }
    }

    std::vector<std::string> expected(const std::function<bool(const Event&)>& keep) const {
        std::vector<Event> hits;
        for (const auto& e : all_)
            if (keep(e)) hits.push_back(e);
        std::sort(hits.begin(), hits.end(), api_order);
        std::vector<std::string> ids;
        for (const auto& e : hits) ids.push_back(to_hex(e.id));
        return ids;
    }

    void expect_bad(const std::string& target, const std::string& param, int status = 400) const {
        HttpResponse r = get(target);
        EXPECT_EQ(r.status, status) << target << ": " << r.body;
        json j = json::parse(r.body);
        EXPECT_TRUE(j.contains("error")) << r.body;
        if (!param.empty()) {
            EXPECT_EQ(j.value("param", ""), param) << target << ": " << r.body;
        }
    }

    TempDir dir_;
    EventGenerator gen_{11, 7};
    std::unique_ptr<Store> store_;
    std::vector<Event> all_;
    RouteOptions options_;
};

TEST_F(ApiRoutes, PagingVisitsEveryMatchOnceNewestFirstThenById) {
    std::size_t pages = 0;
    EXPECT_EQ(all_pages("/v1/events?limit=7", &pages), expected([](const Event&) { return true; }));
    EXPECT_GE(pages, 400u / 7);
    EXPECT_EQ(all_pages("/v1/events?kinds=1,7&limit=5"),
              expected([](const Event& e) { return e.kind == 1 || e.kind == 7; }));
    const std::string author = to_hex(gen_.pubkeys()[3]);
    EXPECT_EQ(all_pages("/v1/events?authors=" + author + "&since=1700000010&until=1700000040&limit=3"),
              expected([&](const Event& e) {
                  return to_hex(e.pubkey) == author && e.created_at >= 1700000010 && e.created_at <= 1700000040;
              }));
    // Tag filters: the p tag of reactions.
    std::string p_value;
    for (const auto& e : all_)
        if (e.kind == 7) p_value = e.tags.at(1).at(1);
    ASSERT_FALSE(p_value.empty());
    EXPECT_EQ(all_pages("/v1/events?tag.p=" + p_value + "&limit=2"), expected([&](const Event& e) {
                  for (const auto& t : e.tags)
                      if (t.size() >= 2 && t[0] == "p" && t[1] == p_value) return true;
                  return false;
              }));
}

TEST_F(ApiRoutes, ATinyScanBudgetEndsPagesEarlyButLosesNothing) {
    options_.scan_budget = 3;
    std::size_t pages = 0;
    EXPECT_EQ(all_pages("/v1/events?limit=50", &pages), expected([](const Event&) { return true; }));
    EXPECT_GT(pages, 400u / 50 + 1) << "the budget should have cut pages short";
    EXPECT_EQ(all_pages("/v1/events?kinds=7&limit=50"), expected([](const Event& e) { return e.kind == 7; }));
}

TEST_F(ApiRoutes, PagingStaysExactWhileEventsArrive) {
    json first = get_json("/v1/events?limit=100");
    ASSERT_EQ(first["events"].size(), 100u);
    const auto& last = first["events"].back();
    const std::int64_t cursor_time = last["created_at"];
    const std::string cursor_id = last["id"];
    // New events: newer than the cursor (never served by the pages that
    // follow), older (served), and in the cursor's own second (served when
    // their id sorts after the cursor's).
    std::vector<Event> arriving;
    for (int i = 0; i < 30; ++i) {
        Event e = gen_.next();
        const std::int64_t t = i % 3 == 0 ? 1'700'000'100 : i % 3 == 1 ? 1'699'999'000 : cursor_time;
        arriving.push_back(gen_.make(e.kind, e.content, e.tags, t, 0));
    }
    insert(arriving, kRelayA);

    std::vector<std::string> rest;
    std::string target = "/v1/events?limit=100&cursor=" + first["next"].get<std::string>();
    while (true) {
        json page = get_json(target);
        for (const auto& e : page["events"]) rest.push_back(e["id"]);
        if (page["next"].is_null()) break;
        target = "/v1/events?limit=100&cursor=" + page["next"].get<std::string>();
    }
    std::vector<Event> want;
    for (const auto& e : all_) want.push_back(e);
    for (const auto& e : arriving) want.push_back(e);
    std::sort(want.begin(), want.end(), api_order);
    std::vector<std::string> want_ids;
    for (const auto& e : want) {
        const bool after_cursor =
            e.created_at < cursor_time || (e.created_at == cursor_time && to_hex(e.id) > cursor_id);
        if (after_cursor) want_ids.push_back(to_hex(e.id));
    }
    EXPECT_EQ(rest, want_ids);
    std::set<std::string> unique(rest.begin(), rest.end());
    EXPECT_EQ(unique.size(), rest.size()) << "an event was served twice";
}

TEST_F(ApiRoutes, OneEventWithTheRelaysItWasSeenOn) {
    const Event& e = all_.front();  // on both relays
    json j = get_json("/v1/events/" + to_hex(e.id));
    EXPECT_EQ(j["event"]["id"], to_hex(e.id));
    EXPECT_EQ(j["event"]["sig"], to_hex(e.sig));
    ASSERT_EQ(j["relays"].size(), 2u);
    std::set<std::string> urls;
    for (const auto& r : j["relays"]) {
        urls.insert(r["relay_url"]);
        EXPECT_EQ(r["seen_at"], 1'700'000'100);
    }
    EXPECT_EQ(urls, (std::set<std::string>{kRelayA.str(), kRelayB.str()}));
    expect_bad("/v1/events/" + std::string(64, '0'), "", 404);
    expect_bad("/v1/events/xyz", "id");
    expect_bad("/v1/events/" + to_hex(e.id) + "?pretty=1", "pretty");
}

TEST_F(ApiRoutes, RelaysWithTheirNewestSnapshotFilteredAndPaged) {
    json j = get_json("/v1/relays");
    ASSERT_EQ(j["relays"].size(), 3u);
    EXPECT_TRUE(j["next"].is_null());
    // In URL order: "ws://" sorts before "wss://".
    EXPECT_EQ(j["relays"][0]["url"], kOnion.str());
    EXPECT_EQ(j["relays"][0]["network"], "tor");
    EXPECT_TRUE(j["relays"][0]["checked_at"].is_null());  // never checked
    const json& a = j["relays"][1];
    EXPECT_EQ(a["url"], kRelayA.str());
    EXPECT_EQ(a["network"], "clearnet");
    EXPECT_EQ(a["name"], "Relay A");
    EXPECT_EQ(a["software"], "git+https://github.com/hoytech/strfry.git");
    EXPECT_EQ(a["version"], "1.0.0");
    EXPECT_EQ(a["supported_nips"], json::parse("[1,11,45]"));
    EXPECT_EQ(a["checked_at"], 2000);  // the newest snapshot, not the first
    EXPECT_EQ(a["rtt_open"], 100);
    EXPECT_EQ(a["rtt_read"], 60);
    EXPECT_TRUE(a["rtt_write"].is_null());
    EXPECT_EQ(a["openable"], true);
    EXPECT_EQ(a["event_count"], 400);
    EXPECT_EQ(j["relays"][2]["event_count"], 50);
    EXPECT_EQ(j["relays"][2]["openable"], false);

    EXPECT_EQ(get_json("/v1/relays?network=tor")["relays"].size(), 1u);
    EXPECT_EQ(get_json("/v1/relays?openable=true")["relays"].size(), 1u);
    EXPECT_EQ(get_json("/v1/relays?openable=false")["relays"].size(), 2u);
    json page = get_json("/v1/relays?limit=2");
    ASSERT_EQ(page["relays"].size(), 2u);
    ASSERT_FALSE(page["next"].is_null());
    json rest = get_json("/v1/relays?limit=2&cursor=" + page["next"].get<std::string>());
    ASSERT_EQ(rest["relays"].size(), 1u);
    EXPECT_EQ(rest["relays"][0]["url"], kRelayB.str());
    expect_bad("/v1/relays?network=i2p", "network");
    expect_bad("/v1/relays?openable=maybe", "openable");
}

TEST_F(ApiRoutes, OneRelayAndItsSnapshotHistory) {
    json j = get_json("/v1/relays/wss%3A%2F%2Fa.example.com");
    EXPECT_EQ(j["url"], kRelayA.str());
    EXPECT_EQ(j["latest"]["generated_at"], 2000);
    EXPECT_EQ(j["latest"]["nip11"]["name"], "Relay A");
    EXPECT_EQ(j["statistics"]["event_count"], 400);
    // The URL is normalized as the store keeps it.
    EXPECT_EQ(get_json("/v1/relays/wss%3A%2F%2FA.EXAMPLE.COM%2F")["url"], kRelayA.str());

    json history = get_json("/v1/relays/wss%3A%2F%2Fa.example.com/metadata?limit=1");
    ASSERT_EQ(history["snapshots"].size(), 1u);
    EXPECT_EQ(history["snapshots"][0]["generated_at"], 2000);
    ASSERT_FALSE(history["next"].is_null());
    json older = get_json("/v1/relays/wss%3A%2F%2Fa.example.com/metadata?limit=1&cursor=" +
                          history["next"].get<std::string>());
    ASSERT_EQ(older["snapshots"].size(), 1u);
    EXPECT_EQ(older["snapshots"][0]["generated_at"], 1000);
    EXPECT_TRUE(older["next"].is_null());

    expect_bad("/v1/relays/wss%3A%2F%2Fnot-archived.example.com", "", 404);
    expect_bad("/v1/relays/not%20a%20url", "", 404);
    expect_bad("/v1/relays/wss%3A%2F%2Fnot-archived.example.com/metadata", "", 404);
}

TEST_F(ApiRoutes, StatsUseTheNamesOfThePostgresViews) {
    json j = get_json("/v1/stats?limit=3");
    EXPECT_EQ(j["events_statistics"]["total_events"], 400);
    EXPECT_EQ(j["events_statistics"]["unique_pubkeys"], 7);
    EXPECT_TRUE(j["events_statistics"].contains("events_last_24h"));
    ASSERT_EQ(j["relays_statistics"].size(), 3u);
    EXPECT_TRUE(j["relays_statistics"][0].contains("avg_rtt_open"));
    std::uint64_t kind_total = 0;
    for (const auto& k : j["kind_counts_total"]) kind_total += k["event_count"].get<std::uint64_t>();
    EXPECT_EQ(kind_total, 400u);
    // The three authors with the most events, most first.
    std::map<std::string, std::uint64_t> per_author;
    for (const auto& e : all_) ++per_author[to_hex(e.pubkey)];
    std::vector<std::pair<std::uint64_t, std::string>> ranked;
    for (const auto& [k, n] : per_author) ranked.emplace_back(n, k);
    std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    ASSERT_EQ(j["pubkey_counts_total"].size(), 3u);
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(j["pubkey_counts_total"][i]["pubkey_hex"], ranked[i].second);
        EXPECT_EQ(j["pubkey_counts_total"][i]["event_count"], ranked[i].first);
    }
}

TEST_F(ApiRoutes, DailyStatsCountEachUtcDayOfTheWindowOldestFirst) {
    // The fixture's events are from 2023: outside any recent window. Add some
    // from today and yesterday, and one from before the window.
    const std::int64_t now = unix_now();
    std::vector<Event> recent;
    for (std::int64_t offset : {0, 5, 3600, 86400, 86401, 2 * 86400, 10 * 86400})
        recent.push_back(gen_.make(1, "recent", {}, now - offset, 0));
    insert(recent, kRelayA);
    json j = get_json("/v1/stats/daily?days=5");
    ASSERT_EQ(j["daily"].size(), 5u);
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < 5; ++i) {
        const json& d = j["daily"][i];
        const std::int64_t start = d["start"];
        EXPECT_EQ(start % 86400, 0);
        if (i) {
            EXPECT_EQ(start, j["daily"][i - 1]["start"].get<std::int64_t>() + 86400);
        }
        std::uint64_t want = 0;
        for (const auto& e : recent) want += e.created_at >= start && e.created_at < start + 86400;
        EXPECT_EQ(d["events"], want) << d.dump();
        total += want;
        // The calendar date of the day's midnight, as gmtime names it.
        const std::time_t t = static_cast<std::time_t>(start);
        std::tm tm{};
        gmtime_r(&t, &tm);
        char date[16];
        std::strftime(date, sizeof date, "%Y-%m-%d", &tm);
        EXPECT_EQ(d["date"], date);
    }
    EXPECT_EQ(total, 6u);  // all but the one ten days old
    EXPECT_LE(j["daily"][4]["start"].get<std::int64_t>(), now);
    EXPECT_GT(j["daily"][4]["start"].get<std::int64_t>() + 86400, now);
    EXPECT_EQ(get_json("/v1/stats/daily")["daily"].size(), 60u);
    EXPECT_EQ(get_json("/v1/stats/daily?days=366")["daily"].size(), 366u);
    EXPECT_EQ(Routes::route_of("/v1/stats/daily?days=3"), "/v1/stats/daily");
}

TEST_F(ApiRoutes, TheWebPageIsServedAtTheRoot) {
    HttpResponse r = get("/");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
    EXPECT_EQ(r.body.rfind("<!doctype html>", 0), 0u);
    std::map<std::string, std::string> headers(r.headers.begin(), r.headers.end());
    EXPECT_NE(headers["Content-Security-Policy"].find("default-src 'none'"), std::string::npos);
    EXPECT_NE(headers["Content-Security-Policy"].find("script-src 'sha256-"), std::string::npos);
    EXPECT_EQ(headers["Cache-Control"], "no-cache");
    EXPECT_EQ(r.route, "/");
    EXPECT_EQ(get("/", "HEAD").status, 200);
    EXPECT_EQ(get("/", "POST").status, 405);
}

TEST_F(ApiRoutes, HealthNamesTheStoreAndItsServices) {
    store_->put_service_state("synchronizer", "{}", 1'700'000'500);
    json j = get_json("/health");
    EXPECT_EQ(j["status"], "ok");
    EXPECT_EQ(j["variant"], "bigbrotr");
    EXPECT_EQ(j["format_version"], kStoreFormatVersion);
    EXPECT_EQ(j["events"], 400);
    EXPECT_EQ(j["relays"], 3);
    EXPECT_EQ(j["services"]["synchronizer"]["updated_at"], 1'700'000'500);
}

TEST_F(ApiRoutes, BadInputIsA4xxNamingTheParameterAndNeverA500) {
    expect_bad("/v1/events?ids=abc", "ids");
    expect_bad("/v1/events?authors=" + std::string(64, 'G'), "authors");
    expect_bad("/v1/events?kinds=70000", "kinds");
    expect_bad("/v1/events?kinds=-1", "kinds");
    expect_bad("/v1/events?kinds=1x", "kinds");
    expect_bad("/v1/events?limit=0", "limit");
    expect_bad("/v1/events?limit=1001", "limit");
    expect_bad("/v1/events?limit=ten", "limit");
    expect_bad("/v1/events?limit=1&limit=2", "limit");
    expect_bad("/v1/events?since=-5", "since");
    expect_bad("/v1/events?until=99999999999", "until");
    expect_bad("/v1/events?cursor=garbage", "cursor");
    expect_bad("/v1/events?cursor=1" + std::string(16, 'z'), "cursor");
    expect_bad("/v1/events?tag.pp=x", "tag.pp");
    expect_bad("/v1/events?kind=1", "kind");  // misspelt: refused, not ignored
    expect_bad("/v1/events?ids=%zz", "");
    expect_bad("/v1/events?ids=%00", "");
    expect_bad("/v1/stats?limit=0", "limit");
    expect_bad("/health?verbose=1", "verbose");
    expect_bad("/v2/events", "", 404);
    expect_bad("/?x=1", "x");
    expect_bad("/v1/stats/daily?days=0", "days");
    expect_bad("/v1/stats/daily?days=367", "days");
    expect_bad("/v1/stats/daily?days=many", "days");
    expect_bad("/v1/stats/daily?limit=5", "limit");
    expect_bad("/v1/stats/daily/x", "", 404);
    expect_bad("/v1/events/a/b/c", "", 404);
    expect_bad("no-slash", "");
    HttpResponse r = get("/v1/events", "POST");
    EXPECT_EQ(r.status, 405);
    ASSERT_EQ(r.headers.size(), 1u);
    EXPECT_EQ(r.headers[0], (std::pair<std::string, std::string>{"Allow", "GET, HEAD"}));
    EXPECT_EQ(get("/v1/events", "DELETE").status, 405);
    EXPECT_EQ(get("/v1/events?limit=1", "HEAD").status, 200);
}

TEST_F(ApiRoutes, TheLimitsFollowTheOptions) {
    options_.default_limit = 4;
    options_.max_limit = 9;
    EXPECT_EQ(get_json("/v1/events")["events"].size(), 4u);
    EXPECT_EQ(get_json("/v1/events?limit=9")["events"].size(), 9u);
    expect_bad("/v1/events?limit=10", "limit");
}

TEST(ApiRoutesLilbrotr, TagFiltersAreRefusedWithAReason) {
    TempDir dir;
    Store store = Store::init((dir / "store").string(), StoreVariant::lilbrotr);
    Routes routes(store, {});
    HttpResponse r = routes.handle({"GET", "/v1/events?tag.t=nostr"});
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(nlohmann::json::parse(r.body)["param"], "tag.t");
    EXPECT_EQ(routes.handle({"GET", "/v1/events?kinds=1"}).status, 200);
}

TEST(ApiRouteNames, TargetsMapToTheirRouteForMetrics) {
    EXPECT_EQ(Routes::route_of("/v1/events?kinds=1"), "/v1/events");
    EXPECT_EQ(Routes::route_of("/v1/events/abc"), "/v1/events/{id}");
    EXPECT_EQ(Routes::route_of("/v1/relays/wss%3A%2F%2Fa/metadata"), "/v1/relays/{url}/metadata");
    EXPECT_EQ(Routes::route_of("/health"), "/health");
    EXPECT_EQ(Routes::route_of("%%%"), "other");
    // Paths the API does not serve share one name: labels stay bounded.
    EXPECT_EQ(Routes::route_of("/v1/anything-a-client-sends"), "other");
    EXPECT_EQ(Routes::route_of("/v1/relays/x/history"), "other");
    TempDir dir;
    Store store = Store::init((dir / "store").string(), StoreVariant::bigbrotr);
    Routes routes(store, {});
    EXPECT_EQ(routes.handle({"GET", "/v1/events/zz"}).route, "/v1/events/{id}");
    EXPECT_EQ(routes.handle({"GET", "/v1/nope"}).route, "other");
}

}  // namespace
}  // namespace brotr::api
