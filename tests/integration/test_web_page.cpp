// The web page at GET /, served by `brotr api` from a store of test events on
// several relays: over plain HTTP (headers, HEAD, 405, nothing external), and
// rendered by a real browser, headless Chromium, whose DOM must show the
// relays, totals, kinds, services and days the store holds. The screenshot
// goes to the tests' output directory (test_output_dir()).
#include <gtest/gtest.h>

#include <boost/beast/http/field.hpp>

#include <cstdlib>
#include <regex>

#include "brotr/store.hpp"
#include "support/brotr_process.hpp"
#include "support/http_test_client.hpp"
#include "support/relay_peer.hpp"
#include "support/test_env.hpp"
#include "unit/test_store_fixtures.hpp"
#include "util/clock.hpp"

namespace brotr {
namespace {

namespace fs = std::filesystem;
namespace http = boost::beast::http;
using namespace std::chrono_literals;
using test::BrotrProcess;
using test::Client;

const RelayUrl kAlpha = *RelayUrl::parse("wss://relay.alpha.example");
const RelayUrl kBeta = *RelayUrl::parse("wss://nos.beta.example");
const RelayUrl kGamma = *RelayUrl::parse("wss://gamma.example.org/nostr");
const RelayUrl kOnion = *RelayUrl::parse("ws://abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuv.onion");

// Debian names the browser chromium; other systems chromium-browser.
std::optional<std::string> find_chromium() {
    for (const char* name : {"chromium", "chromium-browser"}) {
        auto found = test::run_command({"/bin/sh", "-c", std::string("command -v ") + name});
        if (found.exit_code == 0 && !found.out.empty()) return std::string(name);
    }
    return std::nullopt;
}

std::string with_commas(std::uint64_t n) {
    std::string digits = std::to_string(n), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i && (digits.size() - i) % 3 == 0) out.push_back(',');
        out.push_back(digits[i]);
    }
    return out;
}

std::size_t count_of(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++n;
    return n;
}

// The element of the DOM that starts with `open_tag` (e.g. <tr data-url="…">), up to its `close`.
std::string element(const std::string& dom, const std::string& open_tag, const std::string& close) {
    const auto start = dom.find(open_tag);
    if (start == std::string::npos) return {};
    const auto end = dom.find(close, start);
    return dom.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

class WebPage : public ::testing::Test {
protected:
    void SetUp() override {
        path_ = (dir_ / "store").string();
        Store store = Store::init(path_, StoreVariant::bigbrotr);
        // Events spread over the last months (a few older), as the generator draws them.
        test::EventGenerator gen(21, 30, now_);
        const std::vector<Event> events = gen.batch(260);
        insert(store, {events.begin(), events.begin() + 150}, kAlpha);
        insert(store, {events.begin() + 100, events.begin() + 220}, kBeta);
        insert(store, {events.begin() + 220, events.end()}, kGamma);
        store.insert_relay(kOnion, now_ - 500);
        Nip11 strfry;
        strfry.name = "Alpha relay";
        strfry.software = "git+https://github.com/hoytech/strfry.git";
        strfry.version = "1.0.4";
        strfry.supported_nips = "[1,11,45]";
        store.insert_relay_metadata({kAlpha.str(), now_ - 7200, strfry, Nip66{true, true, false, 120, 80, {}}});
        store.insert_relay_metadata({kAlpha.str(), now_ - 600, strfry, Nip66{true, true, true, 95, 61, 140}});
        store.insert_relay_metadata({kBeta.str(), now_ - 900, std::nullopt, Nip66{false, false, false, {}, {}, {}}});
        store.put_service_state("synchronizer", "{}", now_ - 120);
        store.put_service_state("monitor", "{}", now_ - 3 * 3600);
        store.put_service_state("finder", "{}", now_ - 3 * 86400);

        summary_ = store.summary();
        stats_ = store.events_statistics(now_);
        kinds_ = store.kind_counts_total();
        daily_ = store.events_per_day(now_ / 86400 - 59, 60);
        for (const auto& r : store.relays_statistics()) relay_events_[r.relay_url] = r.event_count;
    }

    static void insert(Store& store, std::vector<Event> events, const RelayUrl& relay) {
        std::vector<EventWithRelay> items;
        for (auto& e : events) items.push_back({std::move(e), &relay, 1'700'000'100, false});
        store.insert_events(items);
    }

    // Starts `brotr api` on a free loopback port; with a token when given.
    void serve(const std::string& token = {}) {
        port_ = test::pick_free_port();
        if (!token.empty()) ::setenv("BROTR_API_TOKEN", token.c_str(), 1);
        api_ = std::make_unique<BrotrProcess>(
            std::vector<std::string>{"api", "--store", path_, "--listen", "127.0.0.1:" + std::to_string(port_)},
            dir_ / "api.log");
        ::unsetenv("BROTR_API_TOKEN");
        ASSERT_TRUE(api_->wait_for_log("api: listening", 30s)) << api_->log();
    }

    std::string url(const std::string& fragment = {}) const {
        return "http://127.0.0.1:" + std::to_string(port_) + "/" + fragment;
    }

    // Runs headless Chromium on the page with `extra` arguments; its stdout.
    test::CommandOutput chromium(const std::vector<std::string>& extra, const std::string& target) {
        std::vector<std::string> argv = {"timeout", "120", *chromium_, "--headless=new", "--no-sandbox",
                                         "--disable-gpu", "--no-first-run", "--disable-extensions",
                                         "--disable-background-networking", "--enable-logging=stderr",
                                         "--user-data-dir=" + (dir_ / "chromium-profile").string(),
                                         "--virtual-time-budget=5000"};
        argv.insert(argv.end(), extra.begin(), extra.end());
        argv.push_back(target);
        return test::run_command(argv);
    }

    void skip_without_chromium() {
        chromium_ = find_chromium();
        if (!chromium_) GTEST_SKIP() << "chromium is not installed (Debian package chromium, tools/setup.sh --test)";
    }

    const std::int64_t now_ = unix_now();
    test::TempDir dir_;
    std::string path_;
    std::uint16_t port_ = 0;
    std::unique_ptr<BrotrProcess> api_;
    std::optional<std::string> chromium_;
    StoreSummary summary_;
    EventsStatistics stats_;
    std::vector<KindCount> kinds_;
    std::vector<std::uint64_t> daily_;
    std::map<std::string, std::uint64_t> relay_events_;
};

TEST_F(WebPage, IsOneHtmlFileWithAStrictPolicyAndNothingExternal) {
    serve();
    Client c(port_);
    auto page = c.get("/");
    EXPECT_EQ(page.result_int(), 200);
    EXPECT_EQ(page[http::field::content_type], "text/html; charset=utf-8");
    EXPECT_EQ(page[http::field::cache_control], "no-cache");
    const std::string policy(page["Content-Security-Policy"]);
    EXPECT_NE(policy.find("default-src 'none'"), std::string::npos) << policy;
    EXPECT_NE(policy.find("connect-src 'self'"), std::string::npos) << policy;
    EXPECT_NE(policy.find("script-src 'sha256-"), std::string::npos) << policy;
    EXPECT_NE(policy.find("style-src 'sha256-"), std::string::npos) << policy;
    EXPECT_EQ(policy.find("unsafe"), std::string::npos) << policy;
    const std::string& html = page.body();
    EXPECT_EQ(html.rfind("<!doctype html>", 0), 0u);
    // Nothing to fetch from elsewhere: no absolute URL at all, and one inline
    // script and one inline style, the ones the policy names.
    EXPECT_EQ(html.find("http://"), std::string::npos);
    EXPECT_EQ(html.find("https://"), std::string::npos);
    EXPECT_EQ(html.find("//cdn"), std::string::npos);
    EXPECT_EQ(count_of(html, "<script"), 1u);
    EXPECT_EQ(count_of(html, "<style"), 1u);
    EXPECT_EQ(html.find("<script src"), std::string::npos);
    EXPECT_EQ(html.find("<link rel=\"stylesheet\""), std::string::npos);

    c.send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n");
    auto head = c.read(true);
    EXPECT_EQ(head.result_int(), 200);
    EXPECT_EQ(head[http::field::content_length], std::to_string(html.size()));
    EXPECT_TRUE(head.body().empty());
    c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi");
    auto post = c.read();
    EXPECT_EQ(post.result_int(), 405);
    EXPECT_EQ(post[http::field::allow], "GET, HEAD");
}

TEST_F(WebPage, ChromiumRendersTheArchiveTheStoreHolds) {
    skip_without_chromium();
    serve();
    auto run = chromium({"--dump-dom"}, url());
    ASSERT_EQ(run.exit_code, 0) << run.err;
    const std::string& dom = run.out;
    test::write_file(test::test_output_dir() / "web_page.html", dom);
    ASSERT_NE(dom.find("data-state=\"ready\""), std::string::npos) << "the page did not finish loading:\n"
                                                                   << dom.substr(0, 4000) << "\n" << run.err;
    // The browser ran the script and applied the style under the policy, and
    // the script threw nothing (console messages go to Chromium's stderr).
    EXPECT_EQ(run.err.find("Content Security Policy"), std::string::npos) << run.err;
    EXPECT_EQ(run.err.find("Uncaught"), std::string::npos) << run.err;
    EXPECT_NE(dom.find("<form id=\"token-form\" class=\"token\" hidden=\"\">"), std::string::npos)
        << "no token is needed on loopback without one";

    // Totals.
    auto total = [&](const std::string& id, std::uint64_t value) {
        const std::regex card("id=\"" + id + "\" data-value=\"" + std::to_string(value) + "\">" + with_commas(value) + "<");
        EXPECT_TRUE(std::regex_search(dom, card)) << id << " should show " << value << "\n"
                                                  << element(dom, "id=\"totals\"", "</main>").substr(0, 3000);
    };
    total("total-events", summary_.events);
    total("total-relays", summary_.relays);
    total("total-pubkeys", stats_.unique_pubkeys);
    total("total-kinds", stats_.unique_kinds);
    total("total-30d", stats_.events_last_30d);
    EXPECT_EQ(summary_.events, 260u);
    EXPECT_EQ(summary_.relays, 4u);

    // One row per relay, with its event count.
    EXPECT_EQ(count_of(dom, "<tr data-url="), 4u);
    for (const RelayUrl* relay : {&kAlpha, &kBeta, &kGamma, &kOnion}) {
        const std::string row = element(dom, "<tr data-url=\"" + relay->str() + "\">", "</tr>");
        ASSERT_FALSE(row.empty()) << relay->str();
        EXPECT_NE(row.find(">" + relay->str() + "<"), std::string::npos) << row;
        EXPECT_NE(row.find("<td class=\"num\">" + with_commas(relay_events_[relay->str()]) + "</td>"), std::string::npos)
            << row;
    }
    const std::string alpha = element(dom, "<tr data-url=\"" + kAlpha.str() + "\">", "</tr>");
    EXPECT_NE(alpha.find("strfry 1.0.4"), std::string::npos) << alpha;
    EXPECT_NE(alpha.find("95 / 61 / 140 ms"), std::string::npos) << alpha;
    EXPECT_NE(alpha.find(">yes<"), std::string::npos) << alpha;
    EXPECT_NE(alpha.find("Alpha relay"), std::string::npos) << alpha;
    EXPECT_NE(element(dom, "<tr data-url=\"" + kBeta.str() + "\">", "</tr>").find(">no<"), std::string::npos);
    EXPECT_NE(element(dom, "<tr data-url=\"" + kOnion.str() + "\">", "</tr>").find("tor"), std::string::npos);

    // Counts per kind.
    ASSERT_FALSE(kinds_.empty());
    EXPECT_EQ(count_of(dom, "<tr data-kind="), kinds_.size());
    for (const auto& k : kinds_) {
        const std::string row = element(dom, "<tr data-kind=\"" + std::to_string(k.kind) + "\">", "</tr>");
        EXPECT_NE(row.find("<td class=\"num\">" + with_commas(k.event_count) + "</td>"), std::string::npos)
            << "kind " << k.kind << ": " << row;
    }

    // The chart: one bar per day, each with the store's count, and a tooltip.
    EXPECT_EQ(count_of(dom, "class=\"bar\""), 60u);
    const std::regex bar("data-events=\"([0-9]+)\"");
    std::vector<std::uint64_t> bars;
    for (auto it = std::sregex_iterator(dom.begin(), dom.end(), bar); it != std::sregex_iterator(); ++it)
        bars.push_back(std::stoull((*it)[1]));
    EXPECT_EQ(bars, daily_);
    EXPECT_EQ(count_of(dom, "<title>"), 61u);  // the page's own and one per day
    std::uint64_t recent = 0;
    for (auto n : daily_) recent += n;
    EXPECT_GT(recent, 100u) << "the generator puts most events in the last months";

    // Services.
    for (const char* service : {"synchronizer", "monitor", "finder"})
        EXPECT_NE(dom.find("data-service=\"" + std::string(service) + "\""), std::string::npos) << service;
    EXPECT_NE(element(dom, "data-service=\"synchronizer\"", "</tr>").find(">active<"), std::string::npos);
    EXPECT_NE(element(dom, "data-service=\"finder\"", "</tr>").find(">stale<"), std::string::npos);

    // A screenshot for people to look at.
    const fs::path png = test::test_output_dir() / "web_page.png";
    fs::remove(png);
    auto shot = chromium({"--screenshot=" + png.string(), "--window-size=1280,1600", "--hide-scrollbars"}, url());
    EXPECT_EQ(shot.exit_code, 0) << shot.err;
    ASSERT_TRUE(fs::exists(png)) << shot.err;
    EXPECT_GT(fs::file_size(png), 30'000u) << "a blank page compresses to far less";
    const std::string bytes = test::read_file(png);
    EXPECT_EQ(bytes.substr(1, 3), "PNG");
    std::cout << "screenshot: " << png.string() << "\n";
}

TEST_F(WebPage, TheRelaysTableSortsAndFiltersAsTheAddressSays) {
    skip_without_chromium();
    serve();
    // The URLs of the relay rows, in the order shown.
    auto rows = [&](const std::string& fragment) {
        auto run = chromium({"--dump-dom"}, url(fragment));
        EXPECT_EQ(run.exit_code, 0) << run.err;
        EXPECT_NE(run.out.find("data-state=\"ready\""), std::string::npos) << fragment;
        std::vector<std::string> urls;
        const std::regex row("<tr data-url=\"([^\"]+)\">");
        for (auto it = std::sregex_iterator(run.out.begin(), run.out.end(), row); it != std::sregex_iterator(); ++it)
            urls.push_back((*it)[1]);
        return std::make_pair(urls, run.out);
    };
    // Most events first by default; by URL either way ("ws://" before
    // "wss://"); relays never checked last, whichever the direction.
    EXPECT_EQ(rows("").first, (std::vector<std::string>{kAlpha.str(), kBeta.str(), kGamma.str(), kOnion.str()}));
    EXPECT_EQ(rows("#sort=url").first, (std::vector<std::string>{kOnion.str(), kGamma.str(), kBeta.str(), kAlpha.str()}));
    EXPECT_EQ(rows("#sort=-url").first, (std::vector<std::string>{kAlpha.str(), kBeta.str(), kGamma.str(), kOnion.str()}));
    const auto by_rtt = rows("#sort=rtt_open").first;
    ASSERT_EQ(by_rtt.size(), 4u);
    EXPECT_EQ(by_rtt.front(), kAlpha.str());
    EXPECT_EQ(rows("#sort=checked_at").first,
              (std::vector<std::string>{kBeta.str(), kAlpha.str(), kOnion.str(), kGamma.str()}));
    EXPECT_EQ(rows("#sort=-checked_at").first,
              (std::vector<std::string>{kAlpha.str(), kBeta.str(), kOnion.str(), kGamma.str()}));
    // The filter matches URL, network, NIP-11 name and software.
    auto [beta, dom] = rows("#filter=beta");
    EXPECT_EQ(beta, std::vector<std::string>{kBeta.str()});
    EXPECT_NE(dom.find("1 of 4 shown"), std::string::npos);
    EXPECT_EQ(rows("#filter=tor").first, std::vector<std::string>{kOnion.str()});
    EXPECT_EQ(rows("#filter=STRFRY").first, std::vector<std::string>{kAlpha.str()});
    EXPECT_EQ(rows("#filter=Alpha%20relay&sort=url").first, std::vector<std::string>{kAlpha.str()});
    auto none = rows("#filter=nothing-like-this");
    EXPECT_TRUE(none.first.empty());
    EXPECT_NE(none.second.find("No relay matches the filter."), std::string::npos);
}

TEST_F(WebPage, RelaysComeInPagesUpToTwoThousandAndThePageSaysSo) {
    skip_without_chromium();
    {
        Store store = Store::open(path_);
        std::vector<RelayUrl> many;
        for (int i = 0; i < 2100; ++i) many.push_back(*RelayUrl::parse("wss://r" + std::to_string(10000 + i) + ".example.net"));
        ASSERT_EQ(store.insert_relays(many, now_ - 60), 2100u);
    }
    // A max_limit below the page's 1000: it is refused, and the page goes on
    // with a smaller limit, following `next`.
    const fs::path config = dir_ / "config";
    fs::create_directories(config / "services");
    test::write_file(config / "brotr.yaml", "store:\n  path: " + path_ + "\n");
    test::write_file(config / "services" / "api.yaml", "max_limit: 700\n");
    port_ = test::pick_free_port();
    api_ = std::make_unique<BrotrProcess>(
        std::vector<std::string>{"api", "--config", config.string(), "--listen", "127.0.0.1:" + std::to_string(port_)},
        dir_ / "api.log");
    ASSERT_TRUE(api_->wait_for_log("api: listening", 30s)) << api_->log();
    auto run = chromium({"--dump-dom"}, url());
    ASSERT_EQ(run.exit_code, 0) << run.err;
    const std::string& dom = run.out;
    EXPECT_NE(dom.find("data-state=\"ready\""), std::string::npos) << dom.substr(0, 3000);
    EXPECT_EQ(count_of(dom, "<tr data-url="), 2000u);
    EXPECT_NE(dom.find("Showing the first 2,000 relays in URL order; there are more"), std::string::npos);
    EXPECT_NE(dom.find("id=\"total-relays\" data-value=\"2104\">2,104<"), std::string::npos);
    // The refused limit of 1000, then pages of 500: four of them reach 2000.
    Client c(port_);
    const std::string metrics = c.get("/metrics").body();
    EXPECT_NE(metrics.find("brotr_api_requests_total{route=\"/v1/relays\",code=\"400\"} 1\n"), std::string::npos)
        << metrics;
    EXPECT_NE(metrics.find("brotr_api_requests_total{route=\"/v1/relays\",code=\"200\"} 4\n"), std::string::npos)
        << metrics;
    EXPECT_NE(metrics.find("brotr_api_requests_total{route=\"/\",code=\"200\"} 1\n"), std::string::npos) << metrics;
}

TEST_F(WebPage, WithATokenThePageLoadsAndAsksForTheToken) {
    skip_without_chromium();
    serve("tok-5e1f");
    {
        Client c(port_);
        EXPECT_EQ(c.get("/").result_int(), 200) << "the page itself holds no data and needs no token";
        EXPECT_EQ(c.get("/health").result_int(), 401);
    }
    auto asked = chromium({"--dump-dom"}, url());
    ASSERT_EQ(asked.exit_code, 0) << asked.err;
    EXPECT_NE(asked.out.find("data-state=\"token\""), std::string::npos) << asked.out.substr(0, 3000);
    EXPECT_NE(asked.out.find("<form id=\"token-form\" class=\"token\">"), std::string::npos)
        << "the token form should be shown";
    // A token in the fragment is used for the API's requests.
    auto given = chromium({"--dump-dom"}, url("#token=tok-5e1f"));
    ASSERT_EQ(given.exit_code, 0) << given.err;
    EXPECT_NE(given.out.find("data-state=\"ready\""), std::string::npos) << given.out.substr(0, 3000);
    EXPECT_NE(given.out.find("id=\"total-events\" data-value=\"" + std::to_string(summary_.events) + "\""),
              std::string::npos);
    EXPECT_EQ(api_->log().find("tok-5e1f"), std::string::npos) << "the token must never be logged";
}

TEST_F(WebPage, WithNoApiToReadEachSectionSaysSoAndThePageStillRenders) {
    skip_without_chromium();
    serve();
    Client c(port_);
    // The same page opened as a file: every request of it fails.
    const fs::path file = dir_ / "index.html";
    test::write_file(file, c.get("/").body());
    auto run = chromium({"--dump-dom"}, "file://" + file.string());
    ASSERT_EQ(run.exit_code, 0) << run.err;
    const std::string& dom = run.out;
    EXPECT_NE(dom.find("data-state=\"error\""), std::string::npos) << dom.substr(0, 3000);
    EXPECT_EQ(run.err.find("Uncaught"), std::string::npos) << run.err;
    for (const char* path : {"/health", "/v1/stats?limit=1", "/v1/stats/daily?days=60", "/v1/relays?limit=1000"})
        EXPECT_NE(dom.find(std::string("<li>") + path + ": the server cannot be reached</li>"), std::string::npos) << path;
    EXPECT_NE(dom.find("Events per day could not be read."), std::string::npos);
    EXPECT_NE(dom.find("The kinds could not be read."), std::string::npos);
    EXPECT_NE(dom.find("The relays could not be read."), std::string::npos);
    EXPECT_NE(dom.find(">unavailable<"), std::string::npos);
}

TEST_F(WebPage, AnEmptyStoreRendersWithoutErrors) {
    skip_without_chromium();
    path_ = (dir_ / "empty").string();
    Store::init(path_, StoreVariant::lilbrotr);
    serve();
    auto run = chromium({"--dump-dom"}, url());
    ASSERT_EQ(run.exit_code, 0) << run.err;
    EXPECT_NE(run.out.find("data-state=\"ready\""), std::string::npos) << run.out.substr(0, 3000);
    EXPECT_NE(run.out.find("id=\"total-events\" data-value=\"0\">0<"), std::string::npos);
    EXPECT_EQ(count_of(run.out, "class=\"bar\""), 60u);
    EXPECT_NE(run.out.find("No relays in the archive yet."), std::string::npos);
    EXPECT_NE(run.out.find("No service has saved its state yet."), std::string::npos);
}

}  // namespace
}  // namespace brotr
