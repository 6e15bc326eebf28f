#include "config/common_readers.hpp"

namespace brotr::config_detail {

void read_interval(MapValue& map, double& out) { map.read("interval", out, kMinInterval, kMaxInterval); }

void read_tor(MapValue& parent, TorConfig& out) {
    MapValue tor = parent.map("tor");
    tor.read("enabled", out.enabled);
    if (auto v = tor.get("host")) out.host = as_host(*v);
    tor.read_integer("port", out.port, 1, 65535);
    tor.finish();
}

void read_public_key(MapValue& map, std::string& out) {
    auto v = map.get("public_key");
    if (!v) return;
    std::string key = v->as_string();
    if (!is_lower_hex(key, 64)) {
        v->fail("expected 64 lower-case hex characters (an x-only public key, not npub), got " + v->describe());
    }
    out = std::move(key);
}

std::string as_host(const Value& v) {
    std::string host = v.as_nonempty_string();
    if (host.size() > 253) v.fail("host name longer than 253 characters");
    for (char c : host) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                  c == '-' || c == '_' || c == ':';
        if (!ok) v.fail("expected a host name or IP address, got " + v.describe());
    }
    return host;
}

std::filesystem::path resolve_path(const std::filesystem::path& base, const std::filesystem::path& p) {
    return (p.is_absolute() ? p : base / p).lexically_normal();
}

}  // namespace brotr::config_detail
