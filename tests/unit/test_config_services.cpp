// services/*.yaml: the defaults of include/brotr/config.hpp, every key, every error path.
#include <gtest/gtest.h>

#include "brotr/config.hpp"
#include "unit/config_test_util.hpp"

namespace brotr {
namespace {

using test::config_error_of;
using test::contains;

const std::string kSync = "services/synchronizer.yaml";
const std::string kMonitor = "services/monitor.yaml";
const std::string kFinder = "services/finder.yaml";
const std::string kApi = "services/api.yaml";
const std::string kDvm = "services/dvm.yaml";

ConfigError sync_error(const std::string& yaml) {
    return config_error_of([&] { parse_synchronizer_config(yaml, kSync); });
}
ConfigError monitor_error(const std::string& yaml) {
    return config_error_of([&] { parse_monitor_config(yaml, kMonitor); });
}
ConfigError finder_error(const std::string& yaml) {
    return config_error_of([&] { parse_finder_config(yaml, kFinder); });
}
ConfigError api_error(const std::string& yaml) {
    return config_error_of([&] { parse_api_config(yaml, kApi); });
}
ConfigError dvm_error(const std::string& yaml) {
    return config_error_of([&] { parse_dvm_config(yaml, kDvm); });
}

// ---- defaults ---------------------------------------------------------------

TEST(ServiceConfigDefaults, Initializer) {
    auto c = parse_initializer_config("", "services/initializer.yaml", "/srv/impl");
    EXPECT_TRUE(c.seed.enabled);
    EXPECT_EQ(c.seed.file_path, "/srv/impl/data/seed_relays.txt");
}

TEST(ServiceConfigDefaults, Finder) {
    auto c = parse_finder_config("", kFinder);
    EXPECT_TRUE(c.enabled);
    EXPECT_EQ(c.interval, 3600);
    ASSERT_EQ(c.api.sources.size(), 2u);
    EXPECT_EQ(c.api.sources[0].url, "https://api.nostr.watch/v1/online");
    EXPECT_EQ(c.api.sources[1].url, "https://api.nostr.watch/v1/offline");
    EXPECT_TRUE(c.api.sources[0].enabled);
    EXPECT_EQ(c.api.sources[0].timeout, 30);
    EXPECT_EQ(c.api.delay_between_requests, 1);
    EXPECT_TRUE(c.events.enabled);
}

TEST(ServiceConfigDefaults, Monitor) {
    auto c = parse_monitor_config("", kMonitor);
    EXPECT_TRUE(c.enabled);
    EXPECT_EQ(c.interval, 3600);
    EXPECT_TRUE(c.tor.enabled);
    EXPECT_EQ(c.tor.host, "127.0.0.1");
    EXPECT_EQ(c.tor.port, 9050);
    EXPECT_TRUE(c.keys.public_key.empty());
    EXPECT_EQ(c.timeouts.clearnet, 30);
    EXPECT_EQ(c.timeouts.tor, 60);
    EXPECT_EQ(c.concurrency.max_parallel, 50u);
    EXPECT_EQ(c.concurrency.batch_size, 50u);
    EXPECT_EQ(c.selection.min_age_since_check, 3600);
}

TEST(ServiceConfigDefaults, Synchronizer) {
    auto c = parse_synchronizer_config("", kSync);
    EXPECT_TRUE(c.enabled);
    EXPECT_EQ(c.interval, 900);
    EXPECT_TRUE(c.tor.enabled);
    EXPECT_FALSE(c.filter.ids);
    EXPECT_FALSE(c.filter.kinds);
    EXPECT_FALSE(c.filter.authors);
    EXPECT_FALSE(c.filter.tags);
    EXPECT_EQ(c.filter.limit, 500u);
    EXPECT_EQ(c.time_range.default_start, 0);
    EXPECT_EQ(c.time_range.lookback_seconds, 86400);
    EXPECT_EQ(c.timeouts.clearnet.request, 30);
    EXPECT_EQ(c.timeouts.clearnet.relay, 1800);
    EXPECT_EQ(c.timeouts.tor.request, 60);
    EXPECT_EQ(c.timeouts.tor.relay, 3600);
    EXPECT_EQ(c.concurrency.max_parallel, 10u);
    EXPECT_EQ(c.concurrency.max_processes, default_worker_count());
    EXPECT_GE(c.concurrency.max_processes, 1u);
    EXPECT_LE(c.concurrency.max_processes, 32u);
    EXPECT_EQ(c.concurrency.stagger_delay_min, 0);
    EXPECT_EQ(c.concurrency.stagger_delay_max, 60);
    EXPECT_EQ(c.source.max_metadata_age, 43200);
    EXPECT_TRUE(c.source.require_readable);
    EXPECT_TRUE(c.overrides.empty());
}

TEST(ServiceConfigDefaults, ApiAndDvm) {
    auto api = parse_api_config("", kApi);
    EXPECT_FALSE(api.enabled);
    EXPECT_EQ(api.host, "127.0.0.1");
    EXPECT_EQ(api.port, 8080);
    EXPECT_EQ(api.default_limit, 100u);
    EXPECT_EQ(api.max_limit, 1000u);
    EXPECT_EQ(api.request_timeout, 30);
    EXPECT_EQ(api.max_connections, 256u);

    auto dvm = parse_dvm_config("", kDvm);
    EXPECT_FALSE(dvm.enabled);
    EXPECT_TRUE(dvm.relays.empty());
    EXPECT_EQ(dvm.kind, 5050);
    EXPECT_TRUE(dvm.announce);
    EXPECT_EQ(dvm.max_results, 100u);
}

// ---- values -----------------------------------------------------------------

TEST(SynchronizerConfig, ReadsEveryKey) {
    const std::string id(64, 'a'), author(64, 'b');
    auto c = parse_synchronizer_config(R"(
enabled: false
interval: 60
tor: {enabled: false, host: tor.internal, port: 9150}
filter:
  ids: [")" + id + R"("]
  kinds: [0, 1, 65535]
  authors: [")" + author + R"("]
  tags: {p: [")" + author + R"("], t: [nostr, bitcoin]}
  limit: 5000
time_range: {default_start: 1700000000, lookback_seconds: 3600}
timeouts:
  clearnet: {request: 5, relay: 60}
  tor: {request: 120, relay: 14400}
concurrency: {max_parallel: 100, max_processes: 32, stagger_delay: [1.5, 2]}
source: {max_metadata_age: 0, require_readable: false}
overrides:
  - url: WSS://Relay.Damus.IO/
    timeouts: {request: 60, relay: 7200}
  - url: relay.example.com
    timeouts: {relay: 600}
  - url: ws://abcdefghijklmnop.onion
)",
                                       kSync);
    EXPECT_FALSE(c.enabled);
    EXPECT_EQ(c.interval, 60);
    EXPECT_FALSE(c.tor.enabled);
    EXPECT_EQ(c.tor.host, "tor.internal");
    EXPECT_EQ(c.tor.port, 9150);
    ASSERT_TRUE(c.filter.ids);
    EXPECT_EQ(*c.filter.ids, std::vector<std::string>{id});
    ASSERT_TRUE(c.filter.kinds);
    EXPECT_EQ(*c.filter.kinds, (std::vector<std::uint16_t>{0, 1, 65535}));
    ASSERT_TRUE(c.filter.authors);
    EXPECT_EQ(*c.filter.authors, std::vector<std::string>{author});
    ASSERT_TRUE(c.filter.tags);
    EXPECT_EQ(c.filter.tags->size(), 2u);
    EXPECT_EQ(c.filter.tags->at('t'), (std::vector<std::string>{"nostr", "bitcoin"}));
    EXPECT_EQ(c.filter.limit, 5000u);
    EXPECT_EQ(c.time_range.default_start, 1700000000);
    EXPECT_EQ(c.time_range.lookback_seconds, 3600);
    EXPECT_EQ(c.timeouts.clearnet.request, 5);
    EXPECT_EQ(c.timeouts.clearnet.relay, 60);
    EXPECT_EQ(c.timeouts.tor.request, 120);
    EXPECT_EQ(c.timeouts.tor.relay, 14400);
    EXPECT_EQ(c.concurrency.max_parallel, 100u);
    EXPECT_EQ(c.concurrency.max_processes, 32u);
    EXPECT_EQ(c.concurrency.stagger_delay_min, 1.5);
    EXPECT_EQ(c.concurrency.stagger_delay_max, 2);
    EXPECT_EQ(c.source.max_metadata_age, 0);
    EXPECT_FALSE(c.source.require_readable);
    ASSERT_EQ(c.overrides.size(), 3u);
    EXPECT_EQ(c.overrides[0].url.str(), "wss://relay.damus.io");  // normalized
    EXPECT_EQ(c.overrides[0].request, 60);
    EXPECT_EQ(c.overrides[0].relay, 7200);
    EXPECT_EQ(c.overrides[1].url.str(), "wss://relay.example.com");
    EXPECT_FALSE(c.overrides[1].request);
    EXPECT_EQ(c.overrides[1].relay, 600);
    EXPECT_EQ(c.overrides[2].url.network(), Network::tor);
    EXPECT_FALSE(c.overrides[2].relay);
}

TEST(SynchronizerConfig, NullFiltersMeanNoRestriction) {
    auto c = parse_synchronizer_config("filter: {ids: null, kinds: ~, authors: , tags: null}\noverrides: null\n",
                                       kSync);
    EXPECT_FALSE(c.filter.ids);
    EXPECT_FALSE(c.filter.kinds);
    EXPECT_FALSE(c.filter.authors);
    EXPECT_FALSE(c.filter.tags);
    EXPECT_TRUE(c.overrides.empty());
}

TEST(MonitorConfig, ReadsEveryKey) {
    const std::string pub(64, 'c');
    auto c = parse_monitor_config("enabled: false\ninterval: 120\ntor: {enabled: false}\nkeys: {public_key: " + pub +
                                      "}\ntimeouts: {clearnet: 5, tor: 180}\n"
                                      "concurrency: {max_parallel: 500, batch_size: 1}\n"
                                      "selection: {min_age_since_check: 0}\n",
                                  kMonitor);
    EXPECT_FALSE(c.enabled);
    EXPECT_EQ(c.interval, 120);
    EXPECT_FALSE(c.tor.enabled);
    EXPECT_EQ(c.keys.public_key, pub);
    EXPECT_EQ(c.timeouts.clearnet, 5);
    EXPECT_EQ(c.timeouts.tor, 180);
    EXPECT_EQ(c.concurrency.max_parallel, 500u);
    EXPECT_EQ(c.concurrency.batch_size, 1u);
    EXPECT_EQ(c.selection.min_age_since_check, 0);
}

TEST(FinderConfig, SourcesReplaceTheDefaults) {
    auto c = parse_finder_config(R"(
interval: 7200
api:
  sources:
    - url: http://lists.example.org/relays.json
      enabled: false
      timeout: 120
  delay_between_requests: 0
events: {enabled: false}
)",
                                 kFinder);
    EXPECT_EQ(c.interval, 7200);
    ASSERT_EQ(c.api.sources.size(), 1u);
    EXPECT_EQ(c.api.sources[0].url, "http://lists.example.org/relays.json");
    EXPECT_FALSE(c.api.sources[0].enabled);
    EXPECT_EQ(c.api.sources[0].timeout, 120);
    EXPECT_EQ(c.api.delay_between_requests, 0);
    EXPECT_FALSE(c.events.enabled);

    EXPECT_TRUE(parse_finder_config("api: {sources: []}\n", kFinder).api.sources.empty());
}

TEST(ApiConfig, ReadsEveryKeyAndKeepsTheDefaultLimitWithinTheMax) {
    auto c = parse_api_config("enabled: true\nhost: \"::1\"\nport: 9000\ndefault_limit: 50\nmax_limit: 50\n"
                              "request_timeout: 300\nmax_connections: 1\nscan_budget: 1000\nidle_timeout: 5\n"
                              "token_env: MY_TOKEN\ncatch_up_interval: 0.5\n",
                              kApi);
    EXPECT_TRUE(c.enabled);
    EXPECT_EQ(c.scan_budget, 1000u);
    EXPECT_EQ(c.idle_timeout, 5);
    EXPECT_EQ(c.token_env, "MY_TOKEN");
    EXPECT_EQ(c.catch_up_interval, 0.5);
    EXPECT_EQ(api_error("host: localhost\n").key(), "host");  // an address to bind, not a name
    EXPECT_EQ(api_error("token_env: \"1X\"\n").key(), "token_env");
    EXPECT_EQ(api_error("scan_budget: 10\n").key(), "scan_budget");
    EXPECT_EQ(c.host, "::1");
    EXPECT_EQ(c.port, 9000);
    EXPECT_EQ(c.default_limit, 50u);
    EXPECT_EQ(c.max_limit, 50u);
    EXPECT_EQ(c.request_timeout, 300);
    EXPECT_EQ(c.max_connections, 1u);
    EXPECT_EQ(parse_api_config("max_limit: 20\n", kApi).default_limit, 20u);

    auto e = api_error("max_limit: 20\ndefault_limit: 21\n");
    EXPECT_EQ(e.key(), "default_limit");
    EXPECT_TRUE(contains(e.what(), "value 21 is out of range; allowed 1 to 20")) << e.what();
}

// The DVM is not part of this release: enabling it is refused, never
// silently ignored.
TEST(DvmConfig, EnablingTheServiceThatIsNotBuiltIsRefused) {
    auto e = dvm_error("enabled: true\nrelays: [relay.example.com]\n");
    EXPECT_EQ(e.key(), "enabled");
    EXPECT_TRUE(contains(e.what(), "the dvm service is not available in this release")) << e.what();
}

TEST(DvmConfig, ReadsEveryKey) {
    auto c = parse_dvm_config("enabled: false\nrelays: [relay.example.com, \"ws://127.0.0.1:7777\"]\nkind: 5999\n"
                              "announce: false\nmax_results: 1000\n",
                              kDvm);
    EXPECT_FALSE(c.enabled);
    ASSERT_EQ(c.relays.size(), 2u);
    EXPECT_EQ(c.relays[0].str(), "wss://relay.example.com");
    EXPECT_EQ(c.relays[1].str(), "ws://127.0.0.1:7777");
    EXPECT_EQ(c.kind, 5999);
    EXPECT_FALSE(c.announce);
    EXPECT_EQ(c.max_results, 1000u);
}

// ---- errors -----------------------------------------------------------------

TEST(ServiceConfigErrors, UnknownKeysAtEveryDepth) {
    auto e = sync_error("timeouts:\n  clearnet:\n    requst: 10\n");
    EXPECT_EQ(e.file(), kSync);
    EXPECT_EQ(e.key(), "timeouts.clearnet.requst");
    EXPECT_TRUE(contains(e.what(), "unknown key; allowed keys here: request, relay (line 3)")) << e.what();

    EXPECT_EQ(sync_error("timeouts: {clearnt: {}}\n").key(), "timeouts.clearnt");
    EXPECT_EQ(sync_error("overrides: [{url: relay.example.com, timeout: {relay: 60}}]\n").key(), "overrides[0].timeout");
    EXPECT_EQ(sync_error("filter: {limits: 5}\n").key(), "filter.limits");
    EXPECT_EQ(monitor_error("tor: {proxy_url: socks5://tor:9050}\n").key(), "tor.proxy_url");
    EXPECT_EQ(finder_error("api: {sources: [{url: \"https://a.example\", verify_ssl: false}]}\n").key(),
              "api.sources[0].verify_ssl");
    EXPECT_EQ(api_error("listen: 0.0.0.0\n").key(), "listen");
    EXPECT_EQ(dvm_error("kinds: [5050]\n").key(), "kinds");
    EXPECT_EQ(config_error_of([] { parse_initializer_config("seed: {file: x}\n", "i.yaml", "/"); }).key(), "seed.file");
}

TEST(ServiceConfigErrors, WrongTypes) {
    auto e = sync_error("concurrency:\n  max_parallel: ten\n");
    EXPECT_EQ(e.key(), "concurrency.max_parallel");
    EXPECT_TRUE(contains(e.what(), "expected an integer, got \"ten\" (line 2)")) << e.what();

    EXPECT_TRUE(contains(sync_error("filter: {kinds: 1}\n").what(), "expected a list, got \"1\""));
    EXPECT_TRUE(contains(sync_error("overrides: {url: x}\n").what(), "expected a list, got a mapping"));
    EXPECT_TRUE(contains(sync_error("timeouts: 30\n").what(), "expected a mapping"));
    EXPECT_TRUE(contains(monitor_error("timeouts: {clearnet: [30]}\n").what(), "expected a number, got a list"));
    EXPECT_TRUE(contains(monitor_error("tor: {enabled: 2}\n").what(), "expected true or false, got \"2\""));
    EXPECT_TRUE(contains(finder_error("api: {sources: [https://a.example]}\n").what(), "expected a mapping"));
    EXPECT_EQ(sync_error("filter: {kinds: [1, x]}\n").key(), "filter.kinds[1]");
}

TEST(ServiceConfigErrors, OutOfRangeNamesKeyValueAndRange) {
    struct Case {
        std::string yaml, key, text;
    };
    for (const auto& c : std::vector<Case>{
             {"timeouts: {clearnet: {request: 500}}", "timeouts.clearnet.request", "value 500 is out of range; allowed 5 to 120"},
             {"timeouts: {tor: {request: 4.9}}", "timeouts.tor.request", "value 4.9 is out of range; allowed 5 to 120"},
             {"timeouts: {clearnet: {relay: 59}}", "timeouts.clearnet.relay", "allowed 60 to 14400"},
             {"timeouts: {tor: {relay: 14401}}", "timeouts.tor.relay", "allowed 60 to 14400"},
             {"filter: {limit: 0}", "filter.limit", "value 0 is out of range; allowed 1 to 5000"},
             {"filter: {limit: 5001}", "filter.limit", "allowed 1 to 5000"},
             {"filter: {kinds: [65536]}", "filter.kinds[0]", "allowed 0 to 65535"},
             {"filter: {kinds: [-1]}", "filter.kinds[0]", "allowed 0 to 65535"},
             {"time_range: {lookback_seconds: 3599}", "time_range.lookback_seconds", "allowed 3600 to 604800"},
             {"time_range: {lookback_seconds: 604801}", "time_range.lookback_seconds", "allowed 3600 to 604800"},
             {"time_range: {default_start: -1}", "time_range.default_start", "value -1 is out of range"},
             {"concurrency: {max_parallel: 0}", "concurrency.max_parallel", "allowed 1 to 100"},
             {"concurrency: {max_parallel: 101}", "concurrency.max_parallel", "allowed 1 to 100"},
             {"concurrency: {max_processes: 33}", "concurrency.max_processes", "allowed 1 to 32"},
             {"concurrency: {stagger_delay: [0, 3601]}", "concurrency.stagger_delay[1]", "allowed 0 to 3600"},
             {"concurrency: {stagger_delay: [-1, 5]}", "concurrency.stagger_delay[0]", "allowed 0 to 3600"},
             {"interval: 0", "interval", "allowed 1 to 604800"},
             {"interval: 604801", "interval", "allowed 1 to 604800"},
             {"source: {max_metadata_age: -5}", "source.max_metadata_age", "value -5 is out of range; allowed 0 or more"},
             {"tor: {port: 0}", "tor.port", "allowed 1 to 65535"},
             {"tor: {port: 65536}", "tor.port", "allowed 1 to 65535"},
             {"overrides: [{url: relay.example.com, timeouts: {request: 121}}]", "overrides[0].timeouts.request",
              "allowed 5 to 120"},
             {"overrides: [{url: relay.example.com, timeouts: {relay: 10}}]", "overrides[0].timeouts.relay",
              "allowed 60 to 14400"}}) {
        auto e = sync_error(c.yaml + "\n");
        EXPECT_EQ(e.file(), kSync) << c.yaml;
        EXPECT_EQ(e.key(), c.key) << c.yaml;
        EXPECT_TRUE(contains(e.what(), c.text)) << c.yaml << " -> " << e.what();
    }

    for (const auto& c : std::vector<Case>{
             {"timeouts: {clearnet: 4}", "timeouts.clearnet", "allowed 5 to 120"},
             {"timeouts: {tor: 181}", "timeouts.tor", "allowed 10 to 180"},
             {"timeouts: {tor: 9}", "timeouts.tor", "allowed 10 to 180"},
             {"concurrency: {max_parallel: 501}", "concurrency.max_parallel", "allowed 1 to 500"},
             {"concurrency: {batch_size: 0}", "concurrency.batch_size", "allowed 1 to 500"},
             {"selection: {min_age_since_check: -1}", "selection.min_age_since_check", "allowed 0 or more"}}) {
        auto e = monitor_error(c.yaml + "\n");
        EXPECT_EQ(e.key(), c.key) << c.yaml;
        EXPECT_TRUE(contains(e.what(), c.text)) << c.yaml << " -> " << e.what();
    }

    EXPECT_EQ(finder_error("api: {delay_between_requests: 11}\n").key(), "api.delay_between_requests");
    EXPECT_EQ(finder_error("api: {sources: [{url: \"https://a.example\", timeout: 0.5}]}\n").key(),
              "api.sources[0].timeout");
    EXPECT_EQ(api_error("port: 70000\n").key(), "port");
    EXPECT_EQ(api_error("max_limit: 10001\n").key(), "max_limit");
    EXPECT_EQ(api_error("request_timeout: 0\n").key(), "request_timeout");
    EXPECT_EQ(dvm_error("kind: 1\n").key(), "kind");
    EXPECT_TRUE(contains(dvm_error("kind: 6000\n").what(), "allowed 5000 to 5999"));
    EXPECT_EQ(dvm_error("max_results: 1001\n").key(), "max_results");
}

TEST(ServiceConfigErrors, BadRelayUrlsInOverridesAndDvmRelays) {
    auto e = sync_error("overrides:\n  - url: https://relay.example.com\n");
    EXPECT_EQ(e.key(), "overrides[0].url");
    EXPECT_TRUE(contains(e.what(), "\"https://relay.example.com\" is not a relay URL: unsupported scheme 'https'"))
        << e.what();

    EXPECT_TRUE(contains(sync_error("overrides: [{url: \"wss://user@relay.example.com\"}]\n").what(), "user information"));
    EXPECT_TRUE(contains(sync_error("overrides: [{url: \"wss://relay.example.com:99999\"}]\n").what(), "port"));
    EXPECT_TRUE(contains(sync_error("overrides: [{timeouts: {relay: 60}}]\n").what(), "each override needs a url"));

    e = sync_error("overrides: [{url: relay.example.com}, {url: \"wss://RELAY.example.com:443/\"}]\n");
    EXPECT_EQ(e.key(), "overrides[1].url");
    EXPECT_TRUE(contains(e.what(), "a second override for wss://relay.example.com")) << e.what();

    e = dvm_error("relays: [wss://relay.example.com, \"http://x.example\"]\n");
    EXPECT_EQ(e.key(), "relays[1]");
    EXPECT_TRUE(contains(e.what(), "is not a relay URL")) << e.what();

    e = dvm_error("enabled: true\n");
    EXPECT_EQ(e.key(), "relays");
    EXPECT_TRUE(contains(e.what(), "needs at least one relay")) << e.what();
    EXPECT_EQ(dvm_error("enabled: true\nrelays: []\n").key(), "relays");
}

TEST(ServiceConfigErrors, BadFinderSourceUrls) {
    for (const std::string url : {"ftp://lists.example.org", "lists.example.org/relays", "https://", "https:///x",
                                  "\"https://a.example/with space\"", "\"\""}) {
        auto e = finder_error("api:\n  sources:\n    - url: " + url + "\n");
        EXPECT_EQ(e.key(), "api.sources[0].url") << url << " -> " << e.what();
    }
    EXPECT_TRUE(contains(finder_error("api: {sources: [{enabled: true}]}\n").what(), "each source needs a url"));
}

TEST(ServiceConfigErrors, FilterValuesAreChecked) {
    auto e = sync_error("filter: {ids: [abc]}\n");
    EXPECT_EQ(e.key(), "filter.ids[0]");
    EXPECT_TRUE(contains(e.what(), "expected 64 lower-case hex characters, got \"abc\"")) << e.what();
    EXPECT_EQ(sync_error("filter: {authors: [" + std::string(64, 'A') + "]}\n").key(), "filter.authors[0]");
    EXPECT_TRUE(contains(sync_error("filter: {kinds: []}\n").what(), "empty list matches nothing"));
    EXPECT_EQ(sync_error("filter: {tags: {pp: [x]}}\n").key(), "filter.tags.pp");
    EXPECT_TRUE(contains(sync_error("filter: {tags: {\"1\": [x]}}\n").what(), "single-letter"));
    EXPECT_TRUE(contains(sync_error("filter: {tags: {p: []}}\n").what(), "empty list matches nothing"));
    EXPECT_TRUE(contains(sync_error("filter: {tags: {}}\n").what(), "empty mapping matches nothing"));
    EXPECT_TRUE(contains(sync_error("filter: {tags: {p: [a], p: [b]}}\n").what(), "duplicate key"));
}

TEST(ServiceConfigErrors, StaggerDelayIsAnOrderedPair) {
    EXPECT_TRUE(contains(sync_error("concurrency: {stagger_delay: [1, 2, 3]}\n").what(), "expected [min, max]"));
    EXPECT_TRUE(contains(sync_error("concurrency: {stagger_delay: 5}\n").what(), "expected a list"));
    auto e = sync_error("concurrency: {stagger_delay: [10, 5]}\n");
    EXPECT_EQ(e.key(), "concurrency.stagger_delay");
    EXPECT_TRUE(contains(e.what(), "min is greater than max")) << e.what();
}

TEST(ServiceConfigErrors, HostsAndKeys) {
    EXPECT_EQ(monitor_error("tor: {host: \"\"}\n").key(), "tor.host");
    EXPECT_EQ(monitor_error("tor: {host: \"bad host\"}\n").key(), "tor.host");
    EXPECT_EQ(api_error("host: \"a/b\"\n").key(), "host");

    auto e = monitor_error("keys: {public_key: npub1abc}\n");
    EXPECT_EQ(e.key(), "keys.public_key");
    EXPECT_TRUE(contains(e.what(), "expected 64 lower-case hex characters")) << e.what();
    EXPECT_EQ(monitor_error("keys: {public_key: " + std::string(63, 'a') + "}\n").key(), "keys.public_key");
    EXPECT_EQ(dvm_error("keys: {public_key: " + std::string(64, 'g') + "}\n").key(), "keys.public_key");
}

TEST(ServiceConfigErrors, SecretsAreRefusedWithoutEchoingThem) {
    const std::string secret(64, '7');
    auto e = monitor_error("keys:\n  private_key: " + secret + "\n");
    EXPECT_EQ(e.key(), "keys.private_key");
    EXPECT_TRUE(contains(e.what(), "looks like a secret")) << e.what();
    EXPECT_TRUE(contains(e.what(), "MONITOR_PRIVATE_KEY")) << e.what();
    EXPECT_FALSE(contains(e.what(), secret)) << e.what();

    EXPECT_EQ(dvm_error("keys: {privkey: x}\n").key(), "keys.privkey");
    EXPECT_EQ(sync_error("overrides: [{url: relay.example.com, auth_token: x}]\n").key(), "overrides[0].auth_token");

    const std::string nsec = "nsec1vl029mgpspedva04g90vltkh6fvh240zqtv9k0t9af8935ke9laqsnlfe5";
    e = monitor_error("keys: {public_key: " + nsec + "}\n");
    EXPECT_EQ(e.key(), "keys.public_key");
    EXPECT_TRUE(contains(e.what(), "looks like a secret key (nsec)")) << e.what();
    EXPECT_FALSE(contains(e.what(), nsec)) << e.what();
}

TEST(ServiceConfigErrors, SyntaxErrors) {
    auto e = sync_error("filter: {limit: 5\n");
    EXPECT_EQ(e.file(), kSync);
    EXPECT_TRUE(contains(e.what(), "YAML syntax error")) << e.what();
    EXPECT_TRUE(contains(monitor_error("timeouts:\n  clearnet: 30\n tor: 60\n").what(), "YAML syntax error"));
    EXPECT_TRUE(contains(finder_error("api: [\n").what(), "YAML syntax error"));
}

}  // namespace
}  // namespace brotr
