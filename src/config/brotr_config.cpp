// brotr.yaml: store, node id, logging, export target, network policy.
#include <unistd.h>

#include <algorithm>
#include <array>

#include "brotr/config.hpp"
#include "config/common_readers.hpp"

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

bool is_env_name(std::string_view s) {
    if (s.empty() || (s.front() >= '0' && s.front() <= '9')) return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

void read_export(MapValue& root, ExportConfig& out, const std::string& file) {
    MapValue ex = root.map("export");
    ex.read("enabled", out.enabled);
    if (auto v = ex.get("conninfo")) {
        out.conninfo = v->as_string();
        check_conninfo(*v, out.conninfo);
    }
    if (auto v = ex.get("password_env")) {
        out.password_env = v->as_string();
        if (!is_env_name(out.password_env)) {
            v->fail("expected the name of an environment variable ([A-Za-z_][A-Za-z0-9_]*), got " + v->describe());
        }
    }
    ex.read_integer("batch_size", out.batch_size, 1, 100000);
    ex.read("interval", out.interval, 1, 86400);
    ex.finish();
    if (out.enabled && out.conninfo.empty()) {
        throw ConfigError(file, "export.conninfo",
                          "required when export.enabled is true (e.g. \"host=db.example.org dbname=bigbrotr "
                          "user=brotr\")");
    }
}

}  // namespace

BrotrConfig parse_brotr_config(std::string_view yaml, const std::string& file, const std::filesystem::path& base_dir) {
    BrotrConfig config;
    MapValue root = parse_document(yaml, &file);

    MapValue store = root.map("store");
    if (auto v = store.get("path")) config.store.path = v->as_nonempty_string();
    if (auto v = store.get("variant")) {
        std::string variant = v->as_string();
        if (variant == "bigbrotr") {
            config.store.variant = StoreVariant::bigbrotr;
        } else if (variant == "lilbrotr") {
            config.store.variant = StoreVariant::lilbrotr;
        } else {
            v->fail("value " + v->describe() + " is not allowed; allowed: bigbrotr, lilbrotr");
        }
    }
    store.finish();
    config.store.path = resolve_path(base_dir, config.store.path);

    if (auto v = root.get("node_id")) {
        config.node_id = read_node_id(*v);
    } else {
        config.node_id = default_node_id();
    }

    MapValue logging = root.map("logging");
    if (auto v = logging.get("level")) {
        auto level = log::level_from_string(v->as_string());
        if (!level) v->fail("value " + v->describe() + " is not allowed; allowed: trace, debug, info, warn, error, off");
        config.logging.level = *level;
    }
    logging.finish();

    read_export(root, config.exporter, file);

    MapValue network = root.map("network");
    network.read("allow_loopback", config.network.allow_loopback);
    network.read("allow_private", config.network.allow_private);
    network.finish();

    root.finish();
    return config;
}

}  // namespace brotr
