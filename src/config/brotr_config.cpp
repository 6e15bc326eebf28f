// brotr.yaml: store, node id, logging, export target, network policy.
#include <unistd.h>

#include <algorithm>
#include <array>
#include <filesystem>

#include "config/key_tables.hpp"

namespace brotr {

using namespace config_detail;

namespace {

bool is_node_id_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-';
}

std::string default_node_id() {
    std::array<char, 256> name{};
    std::string id;
    if (gethostname(name.data(), name.size() - 1) == 0) {
        for (const char* p = name.data(); *p != '\0' && id.size() < 64; ++p) id.push_back(is_node_id_char(*p) ? *p : '-');
    }
    return id.empty() ? "brotr" : id;
}

std::string read_node_id(const Value& v) {
    std::string id = v.as_string();
    if (id.empty() || id.size() > 64 || !std::all_of(id.begin(), id.end(), is_node_id_char)) {
        v.fail("expected 1 to 64 characters of A-Z a-z 0-9 . _ -, got " + v.describe());
    }
    return id;
}

std::string lower(std::string s) {
    for (char& c : s) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    return s;
}

// The password belongs in the environment, so a conninfo that carries one
// (keyword "password=" or a URI "user:secret@host") is refused. The value is
// not echoed in the message.
void check_conninfo(const Value& v, const std::string& conninfo) {
    const std::string lowered = lower(conninfo);
    bool has_password = lowered.find("password") != std::string::npos;
    for (std::string_view scheme : {"postgresql://", "postgres://"}) {
        if (!lowered.starts_with(scheme)) continue;
        std::string_view rest = std::string_view(conninfo).substr(scheme.size());
        std::string_view authority = rest.substr(0, rest.find_first_of("/?"));
        std::size_t at = authority.rfind('@');
        if (at != std::string_view::npos && authority.substr(0, at).find(':') != std::string_view::npos) {
            has_password = true;
        }
    }
    if (has_password) {
        v.fail("must not contain a password; put the password in the environment variable named by "
               "export.password_env");
    }
}

using C = BrotrConfig;

FileKeys<C> make_table() {
    FileKeys<C> t{"brotr.yaml", "The node: its store, node id, logging, PostgreSQL export and network policy.", {}};
    auto& k = t.keys;
    k.push_back(text<C>("store.path", BROTR_FIELD(store.path), "path", "a directory path",
                        "The RocksDB store; relative to the implementation directory.",
                        [](const Value& v) { return std::filesystem::path(v.as_nonempty_string()); }));
    k.push_back(choice<C>("store.variant", BROTR_FIELD(store.variant),
                          std::vector<std::pair<std::string, StoreVariant>>{{"bigbrotr", StoreVariant::bigbrotr},
                                                                           {"lilbrotr", StoreVariant::lilbrotr}},
                          "bigbrotr keeps whole events; lilbrotr keeps them without tags and content. Fixed when "
                          "the store is created."));
    Key<C> node = text<C>("node_id", BROTR_FIELD(node_id), "string", "1 to 64 characters of A-Z a-z 0-9 . _ -",
                          "Names this node's export cursor when several nodes feed one PostgreSQL.", read_node_id);
    node.default_text = "the host name";
    k.push_back(std::move(node));
    // Level names are matched without regard to case, as log::level_from_string does.
    k.push_back({"logging.level", "choice", "trace, debug, info, warn, error, off",
                 "The least severe log records written to stderr.",
                 [](const Value& v, C& c) {
                     auto level = log::level_from_string(v.as_string());
                     if (!level) {
                         v.fail("value " + v.describe() + " is not allowed; allowed: trace, debug, info, warn, error, off");
                     }
                     c.logging.level = *level;
                 },
                 [](const C& c) { return std::string(log::to_string(c.logging.level)); }});
    k.push_back(boolean<C>("export.enabled", BROTR_FIELD(exporter.enabled),
                           "Mirror the store into PostgreSQL continuously inside `brotr run`."));
    k.push_back(text<C>("export.conninfo", BROTR_FIELD(exporter.conninfo), "string",
                        "a libpq conninfo or URI without a password",
                        "The PostgreSQL to export to; required when export.enabled is true.", [](const Value& v) {
                            std::string conninfo = v.as_string();
                            check_conninfo(v, conninfo);
                            return conninfo;
                        }));
    k.push_back(text<C>("export.password_env", BROTR_FIELD(exporter.password_env), "string",
                        "an environment variable name", "The environment variable that holds the PostgreSQL password.",
                        read_env_name));
    k.push_back(integer<C>("export.batch_size", BROTR_FIELD(exporter.batch_size), 1, 100000, "entries",
                           "Changelog entries exported in one transaction."));
    k.push_back(number<C>("export.interval", BROTR_FIELD(exporter.interval), 1, 86400, "s",
                          "Seconds between continuous export rounds."));
    k.push_back(boolean<C>("network.allow_loopback", BROTR_FIELD(network.allow_loopback),
                           "Connect to loopback addresses learned from the network (for tests)."));
    k.push_back(boolean<C>("network.allow_private", BROTR_FIELD(network.allow_private),
                           "Connect to private and shared addresses learned from the network (a LAN, a tailnet)."));
    k.push_back(boolean<C>("metrics.enabled", BROTR_FIELD(metrics.enabled),
                           "Serve Prometheus /metrics on metrics.host:metrics.port inside `brotr run`, also when the "
                           "API (which serves /metrics too) is off."));
    k.push_back(text<C>("metrics.host", BROTR_FIELD(metrics.host), "string", "an IP address",
                        "Address the metrics endpoint listens on. It needs no token: bind a non-loopback address "
                        "only where scrapers may read it.",
                        read_ip_address));
    k.push_back(integer<C>("metrics.port", BROTR_FIELD(metrics.port), 1, 65535, "", "TCP port of the metrics endpoint."));
    k.push_back(boolean<C>("changelog.trim", BROTR_FIELD(changelog.trim),
                           "Run the changelog service in `brotr run`, which trims the changelog. A PostgreSQL "
                           "database the trimmed changelog cannot continue (a new one, or a node id behind the "
                           "trim) is then filled by a full export (`brotr export --pg --once --full`, or by the "
                           "running exporter on its own)."));
    k.push_back(number<C>("changelog.retention", BROTR_FIELD(changelog.retention), 0, 31536000, "s",
                          "Changelog entries are kept at least this long, so that a batch `brotr export --pg`, "
                          "which cannot register its cursor, finds them; and beyond, until every registered consumer "
                          "(the running exporter, the finder) has read them. 0: trim as soon as they have."));
    k.push_back(number<C>("changelog.trim_interval", BROTR_FIELD(changelog.trim_interval), 10, 86400, "s",
                          "Seconds between the changelog service's trims."));
    k.push_back(integer<C>("shard.count", BROTR_FIELD(shard.count), 1, kMaxShards, "",
                           "Nodes that split the relays to sync between them; each syncs the relays whose URL "
                           "hashes to its shard.index (every node still discovers and monitors all). 1: this node "
                           "syncs every relay. `brotr run --shard i/n` overrides both keys."));
    k.push_back(integer<C>("shard.index", BROTR_FIELD(shard.index), 0, kMaxShards - 1, "",
                           "This node's share, 0 to shard.count - 1."));
    k.push_back(boolean<C>("backup.enabled", BROTR_FIELD(backup.enabled),
                           "Run the backup service in `brotr run`: online, incremental backups of the store while "
                           "the other services write (`brotr restore` makes a store from one)."));
    k.push_back(text<C>("backup.directory", BROTR_FIELD(backup.directory), "path", "a directory path outside the store",
                        "Where the backups go; relative to the implementation directory. Backups in one directory "
                        "share their unchanged files.",
                        [](const Value& v) { return std::filesystem::path(v.as_nonempty_string()); }));
    k.push_back(number<C>("backup.interval", BROTR_FIELD(backup.interval), 10, 2592000, "s",
                          "Seconds between backups; the first is taken when the service starts."));
    k.push_back(integer<C>("backup.keep", BROTR_FIELD(backup.keep), 1, 1000, "backups",
                           "The newest backups kept; older ones are deleted after each backup."));
    t.check = [](C& c, const FoundKeys& found, const std::string& file) {
        if (c.shard.index >= c.shard.count)
            throw ConfigError(file, "shard.index",
                              std::to_string(c.shard.index) + " is not below shard.count (" +
                                  std::to_string(c.shard.count) + "): shards are numbered 0 to count - 1");
        if (!found.find("node_id")) c.node_id = default_node_id();
        if (c.exporter.enabled && c.exporter.conninfo.empty()) {
            throw ConfigError(file, "export.conninfo",
                              "required when export.enabled is true (e.g. \"host=db.example.org dbname=bigbrotr "
                              "user=brotr\")");
        }
    };
    return t;
}

}  // namespace

const FileKeys<BrotrConfig>& config_detail::brotr_keys() {
    static const FileKeys<BrotrConfig> table = make_table();
    return table;
}

BrotrConfig parse_brotr_config(std::string_view yaml, const std::string& file, const std::filesystem::path& base_dir) {
    BrotrConfig config;
    read_keys(brotr_keys(), yaml, file, config);
    config.store.path = resolve_path(base_dir, config.store.path);
    config.backup.directory = resolve_path(base_dir, config.backup.directory);
    // A restore replaces the store directory, and the backups must survive it.
    const auto store = std::filesystem::weakly_canonical(config.store.path);
    const auto backups = std::filesystem::weakly_canonical(config.backup.directory);
    auto [store_end, backups_end] = std::mismatch(store.begin(), store.end(), backups.begin(), backups.end());
    if (store_end == store.end())
        throw ConfigError(file, "backup.directory",
                          "value \"" + config.backup.directory.string() + "\" is the store (store.path) or inside it; "
                          "put the backups beside the store, e.g. data/backups");
    return config;
}

}  // namespace brotr
