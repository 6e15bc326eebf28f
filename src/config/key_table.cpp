#include "config/key_table.hpp"

#include <arpa/inet.h>

#include <algorithm>

namespace brotr::config_detail {

namespace {

struct Child {
    std::string_view name;
    std::optional<std::size_t> leaf;  // the key's index; none for a group of keys
};

// The keys directly under `prefix` ("" for the top level, else "a.b."), in
// table order, each name once.
std::vector<Child> children_of(const std::vector<std::string_view>& paths, std::string_view prefix) {
    std::vector<Child> out;
    for (std::size_t i = 0; i < paths.size(); ++i) {
        std::string_view p = paths[i];
        if (!p.starts_with(prefix)) continue;
        std::string_view rest = p.substr(prefix.size());
        std::size_t dot = rest.find('.');
        std::string_view name = rest.substr(0, dot);
        bool seen = false;
        for (const Child& c : out) seen = seen || c.name == name;
        if (seen) continue;
        out.push_back({name, dot == std::string_view::npos ? std::optional<std::size_t>(i) : std::nullopt});
    }
    return out;
}

void walk(MapValue& map, const std::vector<std::string_view>& paths, const std::string& prefix,
          const std::function<void(std::size_t, const Value&)>& read, FoundKeys& found) {
    for (const Child& child : children_of(paths, prefix)) {
        if (child.leaf) {
            if (auto v = map.get(child.name)) {
                found.add(paths[*child.leaf], *v);
                read(*child.leaf, *v);
            }
        } else {
            MapValue group = map.map(child.name);
            walk(group, paths, prefix + std::string(child.name) + ".", read, found);
        }
    }
    map.finish();
}

}  // namespace

void walk_keys(MapValue& root, const std::vector<std::string_view>& paths,
               const std::function<void(std::size_t, const Value&)>& read, FoundKeys& found) {
    walk(root, paths, "", read, found);
}

std::string with_unit(std::string text, std::string_view unit) {
    if (!unit.empty()) text += " " + std::string(unit);
    return text;
}

std::string show_number(double d) { return fmt::format("{}", d); }

std::string show_text(const std::string& s) { return s.empty() ? std::string("\"\"") : s; }

std::string read_host(const Value& v) {
    std::string host = v.as_nonempty_string();
    if (host.size() > 253) v.fail("host name longer than 253 characters");
    for (char c : host) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                  c == '-' || c == '_' || c == ':';
        if (!ok) v.fail("expected a host name or IP address, got " + v.describe());
    }
    return host;
}

std::string read_public_key(const Value& v) {
    std::string key = v.as_string();
    if (!is_lower_hex(key, 64)) {
        v.fail("expected 64 lower-case hex characters (an x-only public key, not npub), got " + v.describe());
    }
    return key;
}

std::string read_ip_address(const Value& v) {
    std::string host = v.as_nonempty_string();
    unsigned char buf[sizeof(in6_addr)];
    if (inet_pton(AF_INET, host.c_str(), buf) != 1 && inet_pton(AF_INET6, host.c_str(), buf) != 1) {
        v.fail("expected an IPv4 or IPv6 address such as 127.0.0.1 or ::1, got " + v.describe());
    }
    return host;
}

std::string read_env_name(const Value& v) {
    std::string name = v.as_string();
    const bool ok = !name.empty() && !(name.front() >= '0' && name.front() <= '9') &&
                    std::all_of(name.begin(), name.end(), [](char c) {
                        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
                    });
    if (!ok) v.fail("expected the name of an environment variable ([A-Za-z_][A-Za-z0-9_]*), got " + v.describe());
    return name;
}

std::filesystem::path resolve_path(const std::filesystem::path& base, const std::filesystem::path& p) {
    return (p.is_absolute() ? p : base / p).lexically_normal();
}

}  // namespace brotr::config_detail
