// The finder against a local HTTP server serving API lists (good, malformed,
// huge, slow) and against stored events of every kind it scans, hostile
// URLs included.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/awaitable.hpp>

#include "brotr/keys.hpp"
#include "runtime/shutdown.hpp"
#include "services/finder.hpp"
#include "support/fake_relay.hpp"
#include "support/http_fixture_server.hpp"
#include "support/test_env.hpp"

using namespace std::chrono_literals;
namespace asio = boost::asio;

namespace brotr::test {
namespace {

class FinderTest : public ::testing::Test {
protected:
    void SetUp() override { store_.emplace(Store::init((dir_ / "store").string(), StoreVariant::bigbrotr)); }

    FinderConfig config_without_sources() {
        FinderConfig config;
        config.api.sources.clear();
        config.api.delay_between_requests = 0;
        return config;
    }

    services::FinderOptions loopback_sources() {
        services::FinderOptions options;
        options.api_address_policy = AddressPolicy{.allow_loopback = true};
        options.api_max_body_bytes = 64 * 1024;
        return options;
    }

    runtime::CycleReport run(services::Finder& finder) {
        runtime::Shutdown shutdown;
        return run_async<runtime::CycleReport>(
            [&](asio::any_io_executor) -> asio::awaitable<runtime::CycleReport> {
                co_return co_await finder.run_cycle(shutdown);
            },
            120s, 2);
    }

    std::vector<std::string> relay_urls() {
        std::vector<std::string> out;
        for (const RelayRecord& r : store_->relays()) out.push_back(r.url);
        std::sort(out.begin(), out.end());
        return out;
    }

    void store_events(std::vector<Event> events) {
        std::vector<EventWithRelay> items;
        for (Event& e : events) {
            sign_event(e, secret_);
            items.push_back({e, nullptr, 0, false});
        }
        InsertResult r = store_->insert_events(items);
        ASSERT_EQ(r.stored, items.size());
    }

    static Event event(std::uint16_t kind, Tags tags, std::string content = "") {
        Event e;
        e.kind = kind;
        e.created_at = 1700000000;
        e.tags = std::move(tags);
        e.content = std::move(content);
        return e;
    }

    TempDir dir_;
    std::optional<Store> store_;
    SecretKey secret_ = generate_secret_key();
};

TEST_F(FinderTest, ApiSourcesGoodMalformedHugeAndSlow) {
    HttpFixtureServer server;
    server.set("/good", {.body = R"json(["wss://one.example", "WSS://Two.Example:443/", "three.example", 42, null,
        "ws://127.0.0.1:7777", "wss://10.1.2.3", "javascript:alert(1)", "https://web.example", "wss://one.example",
        "wss://localhost", "wss://r\u00e9lay.example"])json"});
    server.set("/more", {.body = R"(["wss://four.example"])"});
    server.set("/malformed", {.body = R"(["wss://never.example", )"});
    server.set("/object", {.body = R"({"relays":["wss://never.example"]})"});
    server.set("/huge", {.body = "[\"wss://never.example\"" + std::string(100 * 1024, ' ') + "]"});
    server.set("/slow", {.body = R"(["wss://never.example"])", .delay = 4s});
    server.set("/gone", {.status = 404, .body = R"(["wss://never.example"])"});

    FinderConfig config = config_without_sources();
    config.events.enabled = false;
    for (const char* path : {"/good", "/malformed", "/object", "/huge", "/slow", "/gone", "/more"}) {
        config.api.sources.push_back({server.url(path), true, 1});
    }
    config.api.sources.push_back({server.url("/disabled"), false, 1});
    services::Finder finder(*store_, config, AddressPolicy{}, loopback_sources());
    run(finder);

    EXPECT_EQ(relay_urls(), (std::vector<std::string>{"wss://four.example", "wss://one.example",
                                                      "wss://three.example", "wss://two.example"}));
    services::FinderCycleStats s = finder.last_cycle();
    EXPECT_EQ(s.sources, 7u);
    EXPECT_EQ(s.sources_failed, 5u);
    EXPECT_EQ(s.api_urls, 11u);  // string elements of the two good lists
    EXPECT_EQ(s.new_relays, 4u);
    EXPECT_EQ(s.refused, 3u);  // 127.0.0.1, 10.1.2.3, localhost
    EXPECT_EQ(s.invalid, 3u);  // javascript:, https:, the unicode host
    for (const RecordedRequest& r : server.requests()) EXPECT_NE(r.target, "/disabled");

    // Known relays are not new the second time.
    run(finder);
    EXPECT_EQ(finder.last_cycle().new_relays, 0u);
    EXPECT_EQ(store_->relays().size(), 4u);
}

TEST_F(FinderTest, DelayBetweenRequestsSpacesTheSources) {
    HttpFixtureServer server;
    server.set("/a", {.body = R"(["wss://a.example"])"});
    server.set("/b", {.body = R"(["wss://b.example"])"});
    FinderConfig config = config_without_sources();
    config.events.enabled = false;
    config.api.delay_between_requests = 1;
    config.api.sources = {{server.url("/a"), true, 5}, {server.url("/b"), true, 5}};
    services::Finder finder(*store_, config, AddressPolicy{}, loopback_sources());
    const auto started = std::chrono::steady_clock::now();
    run(finder);
    EXPECT_GE(std::chrono::steady_clock::now() - started, 1s);
    EXPECT_EQ(store_->relays().size(), 2u);
}

TEST_F(FinderTest, ApiSourceOnLoopbackIsRefusedUnderTheStrictRule) {
    HttpFixtureServer server;
    server.set("/a", {.body = R"(["wss://a.example"])"});
    FinderConfig config = config_without_sources();
    config.events.enabled = false;
    config.api.sources = {{server.url("/a"), true, 5}};
    services::FinderOptions options;
    options.api_address_policy = AddressPolicy{};
    services::Finder finder(*store_, config, AddressPolicy{}, options);
    run(finder);
    EXPECT_EQ(finder.last_cycle().sources_failed, 1u);
    EXPECT_EQ(server.connections(), 0u);
}

TEST_F(FinderTest, EventScanFindsRelaysInEveryKind) {
    store_events({
        event(10002, {{"r", "wss://nip65-a.example"}, {"r", "wss://nip65-b.example", "read"}, {"r", "not a url"}}),
        event(3, {{"p", std::string(64, 'a')}},
              R"({"wss://contacts.example":{"read":true,"write":true},"ws://contacts-legacy.example":{}})"),
        event(2, {}, "wss://recommended.example"),
        event(1, {{"e", std::string(64, 'b'), "wss://hint-e.example", "root"},
                  {"p", std::string(64, 'c'), "wss://hint-p.example"},
                  {"a", "30023:" + std::string(64, 'c') + ":x", "wss://hint-a.example"}},
              "a note mentioning wss://not-scanned.example"),
        event(7, {{"relay", "wss://any-tag.example/path"}}),
        // Hostile: private and loopback addresses, other schemes, overlong, unicode, control characters.
        event(10002, {{"r", "ws://127.0.0.1:4848"}, {"r", "wss://192.168.0.10"}, {"r", "wss://[::1]"},
                      {"r", "wss://169.254.169.254/latest/meta-data"}, {"r", "javascript:alert(1)"},
                      {"r", "wss://" + std::string(3000, 'x') + ".example"}, {"r", "wss://xn--rlay-bpa.example"},
                      {"r", "wss://r\xc3\xa9lay.example"}, {"r", "wss://ctl\x01.example"}, {"r", "wss://localhost"}}),
    });
    FinderConfig config = config_without_sources();
    services::Finder finder(*store_, config, AddressPolicy{}, {});
    run(finder);

    EXPECT_EQ(relay_urls(), (std::vector<std::string>{
                                "ws://contacts-legacy.example", "wss://any-tag.example/path", "wss://contacts.example",
                                "wss://hint-a.example", "wss://hint-e.example", "wss://hint-p.example",
                                "wss://nip65-a.example", "wss://nip65-b.example", "wss://recommended.example",
                                "wss://xn--rlay-bpa.example"}));
    services::FinderCycleStats s = finder.last_cycle();
    EXPECT_EQ(s.events_scanned, 6u);
    EXPECT_EQ(s.new_relays, 10u);
    EXPECT_EQ(s.refused, 5u);
    EXPECT_EQ(s.invalid, 3u);  // overlong, unicode, control character (javascript: is no candidate)
    EXPECT_GT(finder.cursor(), 0u);
}

TEST_F(FinderTest, CursorMakesEachEventScannedOnceAcrossRestarts) {
    store_events({event(10002, {{"r", "wss://first.example"}})});
    FinderConfig config = config_without_sources();
    std::uint64_t cursor = 0;
    {
        services::Finder finder(*store_, config, AddressPolicy{}, {});
        run(finder);
        EXPECT_EQ(finder.last_cycle().events_scanned, 1u);
        run(finder);
        EXPECT_EQ(finder.last_cycle().events_scanned, 0u);
        cursor = finder.cursor();
    }
    auto state = store_->get_service_state("finder");
    ASSERT_TRUE(state);
    EXPECT_EQ(services::Finder::parse_cursor(state->state_json), cursor);

    store_events({event(10002, {{"r", "wss://second.example"}}), event(1, {{"e", std::string(64, 'd'), "wss://third.example"}})});
    services::Finder restarted(*store_, config, AddressPolicy{}, {});
    run(restarted);
    EXPECT_EQ(restarted.last_cycle().events_scanned, 2u);
    EXPECT_EQ(restarted.last_cycle().new_relays, 2u);
    EXPECT_EQ(store_->relays().size(), 3u);
}

TEST_F(FinderTest, ScanInSmallBatchesSeesEverything) {
    std::vector<Event> events;
    for (int i = 0; i < 25; ++i) events.push_back(event(10002, {{"r", "wss://r" + std::to_string(i) + ".example"}}));
    store_events(events);
    services::FinderOptions options;
    options.scan_batch = 3;
    services::Finder finder(*store_, config_without_sources(), AddressPolicy{}, options);
    run(finder);
    EXPECT_EQ(finder.last_cycle().events_scanned, 25u);
    EXPECT_EQ(store_->relays().size(), 25u);
}

TEST_F(FinderTest, LoopbackSwitchLetsTestRelaysIn) {
    store_events({event(10002, {{"r", "ws://127.0.0.1:4848"}, {"r", "wss://10.0.0.1"}})});
    services::Finder finder(*store_, config_without_sources(), AddressPolicy{.allow_loopback = true}, {});
    run(finder);
    EXPECT_EQ(relay_urls(), (std::vector<std::string>{"ws://127.0.0.1:4848"}));
}

TEST_F(FinderTest, EventsDisabledMeansNoScan) {
    store_events({event(10002, {{"r", "wss://first.example"}})});
    FinderConfig config = config_without_sources();
    config.events.enabled = false;
    services::Finder finder(*store_, config, AddressPolicy{}, {});
    run(finder);
    EXPECT_EQ(finder.last_cycle().events_scanned, 0u);
    EXPECT_TRUE(store_->relays().empty());
}

TEST_F(FinderTest, TrimmedChangelogIsReportedNotFatal) {
    store_events({event(10002, {{"r", "wss://lost.example"}})});
    store_->trim_changelog(store_->changelog_head());
    store_events({event(10002, {{"r", "wss://kept.example"}})});
    services::Finder finder(*store_, config_without_sources(), AddressPolicy{}, {});
    run(finder);
    EXPECT_GT(finder.last_cycle().missed_entries, 0u);
    EXPECT_EQ(relay_urls(), (std::vector<std::string>{"wss://kept.example"}));
}

TEST_F(FinderTest, LilbrotrStoreHasNoTagsToScan) {
    TempDir dir;
    Store lil = Store::init((dir / "lil").string(), StoreVariant::lilbrotr);
    Event e = event(10002, {{"r", "wss://invisible.example"}});
    sign_event(e, secret_);
    EventWithRelay item{e, nullptr, 0, false};
    lil.insert_events(std::span<const EventWithRelay>(&item, 1));
    services::Finder finder(lil, config_without_sources(), AddressPolicy{}, {});
    runtime::Shutdown shutdown;
    run_async<runtime::CycleReport>([&](asio::any_io_executor) -> asio::awaitable<runtime::CycleReport> {
        co_return co_await finder.run_cycle(shutdown);
    });
    EXPECT_EQ(finder.last_cycle().events_scanned, 1u);
    EXPECT_TRUE(lil.relays().empty());
}

}  // namespace
}  // namespace brotr::test
