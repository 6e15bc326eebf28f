// Configuration of one implementation directory (`--config DIR`):
//   DIR/brotr.yaml                 store, node id, logging, export, network policy
//   DIR/services/<service>.yaml    initializer, finder, monitor, synchronizer, api, dvm
// Keys, defaults and ranges are given in the comments below (the services'
// follow the original BigBrotr where it had them); docs/services.md says
// what the services do with them. A missing file means all defaults; an
// unknown key, a wrong type, a value out of range or a key that looks like a
// secret throws ConfigError naming the file, the key path, the value and
// what is allowed. Secrets come from environment variables only:
// MONITOR_PRIVATE_KEY, DVM_PRIVATE_KEY, and the PostgreSQL password from the
// variable named by export.password_env.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "brotr/address_policy.hpp"
#include "brotr/log.hpp"
#include "brotr/relay_url.hpp"
#include "brotr/store_variant.hpp"

namespace brotr {

class ConfigError : public std::runtime_error {
public:
    // what() = "<file>: <key>: <problem>" (key omitted when empty).
    ConfigError(std::string file, std::string key, const std::string& problem);
    const std::string& file() const { return file_; }
    const std::string& key() const { return key_; }  // e.g. "timeouts.clearnet.request", "overrides[0].url"

private:
    std::string file_;
    std::string key_;
};

// ---- brotr.yaml -------------------------------------------------------------

struct StoreConfig {
    std::filesystem::path path{kDefaultStorePath};  // relative paths resolve against DIR
    StoreVariant variant = StoreVariant::bigbrotr;  // bigbrotr | lilbrotr
};

struct LoggingConfig {
    log::Level level = log::Level::info;  // trace|debug|info|warn|error|off
};

struct ExportConfig {
    bool enabled = false;
    std::string conninfo;                     // libpq conninfo or URI, without password; required when enabled
    std::string password_env = "PGPASSWORD";  // name of the environment variable holding the password
    std::uint32_t batch_size = 1000;          // 1–100000 changelog entries per transaction
    double interval = 60;                     // 1–86400 s between continuous export rounds
};

// /metrics on its own address, for `brotr run` without the API (the API
// serves /metrics too).
struct MetricsConfig {
    bool enabled = false;
    std::string host = "127.0.0.1";  // an IP address
    std::uint16_t port = 9464;       // 1–65535
};

// How long the changelog keeps entries (storage: Store::trim_changelog_by_policy).
struct ChangelogConfig {
    bool trim = true;
    double retention = 259200;     // 0–31536000 s; entries younger are kept even when every consumer read them
    double trim_interval = 3600;   // 10–86400 s between trims
};

// This node's share of the relays to sync when several nodes split them
// (docs/services.md, "Sharding"): relay_shard(url, count) == index.
struct ShardConfig {
    std::uint32_t index = 0;  // 0 to count-1
    std::uint32_t count = 1;  // 1 to kMaxShards; 1: every relay
};
inline constexpr std::uint32_t kMaxShards = 1024;

// "i/n" as in `--shard 2/3` (src/model/relay_shard.cpp); throws
// std::invalid_argument naming the problem.
ShardConfig parse_shard(std::string_view text);

// Online backups of the store by the backup service of `brotr run`
// (storage: brotr/backup.hpp).
struct BackupConfig {
    bool enabled = false;
    std::filesystem::path directory{"data/backups"};  // relative paths resolve against DIR; not inside the store
    double interval = 86400;                          // 10–2592000 s between backups, the first at start
    std::uint32_t keep = 7;                           // 1–1000 newest backups kept
};

struct BrotrConfig {
    StoreConfig store;
    // Identifies this node's export cursor in a shared PostgreSQL: 1–64 of
    // [A-Za-z0-9._-]. Defaults to the host name so edge nodes differ by default.
    std::string node_id;
    LoggingConfig logging;
    ExportConfig exporter;  // key "export"
    AddressPolicy network;  // keys network.allow_loopback, network.allow_private
    MetricsConfig metrics;
    ChangelogConfig changelog;
    ShardConfig shard;
    BackupConfig backup;
};

// ---- services/*.yaml --------------------------------------------------------

struct TorConfig {
    bool enabled = true;
    std::string host = "127.0.0.1";  // SOCKS5 proxy
    std::uint16_t port = 9050;
};

struct InitializerConfig {
    struct Seed {
        bool enabled = true;
        std::filesystem::path file_path = "data/seed_relays.txt";  // relative paths resolve against DIR
    } seed;
};

struct FinderConfig {
    bool enabled = true;
    double interval = 3600;  // 1–604800 s
    struct ApiSource {
        std::string url;  // http:// or https://, returning a JSON array of relay URLs
        bool enabled = true;
        double timeout = 30;  // 1–120 s
    };
    struct Api {
        std::vector<ApiSource> sources = {{"https://api.nostr.watch/v1/online", true, 30},
                                          {"https://api.nostr.watch/v1/offline", true, 30}};
        double delay_between_requests = 1;  // 0–10 s
    } api;
    struct Events {
        bool enabled = true;
    } events;
};

struct MonitorConfig {
    bool enabled = true;
    double interval = 3600;  // 1–604800 s
    TorConfig tor;
    struct Keys {
        std::string public_key;  // 64 lower-case hex; must match MONITOR_PRIVATE_KEY; empty: no write test
    } keys;
    struct Timeouts {
        double clearnet = 30;  // 5–120 s
        double tor = 60;       // 10–180 s
    } timeouts;
    struct Concurrency {
        std::uint32_t max_parallel = 50;  // 1–500
        std::uint32_t batch_size = 50;    // 1–500
    } concurrency;
    struct Selection {
        double min_age_since_check = 3600;  // >= 0 s
    } selection;
};

// Worker threads used by default: one per core, within the 1–32 range.
std::uint32_t default_worker_count();

struct SynchronizerConfig {
    bool enabled = true;
    double interval = 900;  // 1–604800 s
    TorConfig tor;
    struct Filter {
        // Unset (absent or null) means no restriction on that field.
        std::optional<std::vector<std::string>> ids;      // 64 lower-case hex each
        std::optional<std::vector<std::uint16_t>> kinds;  // 0–65535
        std::optional<std::vector<std::string>> authors;  // 64 lower-case hex each
        std::optional<std::map<char, std::vector<std::string>>> tags;  // single-letter tag -> values
        std::uint32_t limit = 500;                        // 1–5000 events per REQ
    } filter;
    struct TimeRange {
        std::int64_t default_start = 0;         // >= 0
        std::int64_t lookback_seconds = 86400;  // 3600–604800
    } time_range;
    struct Timeouts {
        double request = 30;  // 5–120 s
        double relay = 1800;  // 60–14400 s
    };
    struct NetworkTimeouts {
        Timeouts clearnet{30, 1800};
        Timeouts tor{60, 3600};
    } timeouts;
    struct Concurrency {
        std::uint32_t max_parallel = 10;                        // 1–100 relays per worker
        std::uint32_t max_processes = default_worker_count();   // 1–32 workers
        double stagger_delay_min = 0;                           // stagger_delay: [min, max], 0–3600 s
        double stagger_delay_max = 60;
    } concurrency;
    struct Source {
        double max_metadata_age = 43200;  // >= 0 s
        bool require_readable = true;
    } source;
    struct Override {
        RelayUrl url;
        std::optional<double> request;  // same range as timeouts.*.request; unset: the network's
        std::optional<double> relay;    // same range as timeouts.*.relay
    };
    std::vector<Override> overrides;
};

struct ApiConfig {
    bool enabled = false;
    std::string host = "127.0.0.1";        // address to listen on
    std::uint16_t port = 8080;             // 1–65535
    std::uint32_t default_limit = 100;     // 1–max_limit, when a query gives none
    std::uint32_t max_limit = 1000;        // 1–10000 rows per response
    std::uint64_t scan_budget = 100000;    // index entries one events query may examine
    double request_timeout = 30;           // 1–300 s
    double idle_timeout = 60;              // 1–3600 s, a kept-alive connection's silence
    std::uint32_t max_connections = 256;   // 1–10000
    std::string token_env = "BROTR_API_TOKEN";  // environment variable of the bearer token
    double catch_up_interval = 1;          // 0.1–3600 s, for a store another process writes
};

struct DvmConfig {
    bool enabled = false;
    std::vector<RelayUrl> relays;     // where job requests are read and results published
    std::uint16_t kind = 5050;        // NIP-90 job request kind, 5000–5999; results are kind + 1000
    bool announce = true;             // publish a NIP-89 kind 31990 announcement
    struct Keys {
        std::string public_key;       // 64 lower-case hex; must match DVM_PRIVATE_KEY
    } keys;
    std::uint32_t max_results = 100;  // 1–1000 events per job result
};

struct ServicesConfig {
    InitializerConfig initializer;
    FinderConfig finder;
    MonitorConfig monitor;
    SynchronizerConfig synchronizer;
    ApiConfig api;
    DvmConfig dvm;
};

struct Config {
    std::filesystem::path dir;  // the implementation directory, absolute
    BrotrConfig brotr;
    ServicesConfig services;
};

// The service file names accepted under services/.
inline constexpr std::string_view kServiceNames[] = {"initializer", "finder", "monitor",
                                                     "synchronizer", "api", "dvm"};

// Loads and validates DIR. Throws ConfigError. A directory that does not
// exist is an error; missing files inside it mean defaults.
Config load_config(const std::filesystem::path& dir);

// Parsers of single documents, for callers and tests that hold the text.
// `file` is only used in error messages; relative paths resolve against `base_dir`.
BrotrConfig parse_brotr_config(std::string_view yaml, const std::string& file,
                               const std::filesystem::path& base_dir);
InitializerConfig parse_initializer_config(std::string_view yaml, const std::string& file,
                                           const std::filesystem::path& base_dir);
FinderConfig parse_finder_config(std::string_view yaml, const std::string& file);
MonitorConfig parse_monitor_config(std::string_view yaml, const std::string& file);
SynchronizerConfig parse_synchronizer_config(std::string_view yaml, const std::string& file);
ApiConfig parse_api_config(std::string_view yaml, const std::string& file);
DvmConfig parse_dvm_config(std::string_view yaml, const std::string& file);

}  // namespace brotr
