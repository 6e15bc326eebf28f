// Every configuration key is declared once, in the key table of its file
// (brotr.yaml in brotr_config.cpp, services/<name>.yaml in <name>_config.cpp).
// A Key names its dotted path, its type, what values are allowed, what it
// does, how to read it into the config struct and how to show its value.
// From that one declaration come:
//   - parsing (read_keys walks the YAML by the table's paths),
//   - the errors: an unknown key lists the keys allowed at its level, a bad
//     value names the file, the key, the value and the allowed range,
//   - docs/config.md (`brotr config doc`, checked by a test),
//   - the check that each shipped YAML holds every key and nothing else.
// Defaults are the config structs' member initializers (include/brotr/config.hpp);
// the table shows them by reading a default-constructed struct.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "brotr/config_reference.hpp"
#include "config/yaml_reader.hpp"

namespace brotr::config_detail {

// The values found in one file, by key path, for rules that span keys.
class FoundKeys {
public:
    void add(std::string_view path, const Value& v) { found_.emplace_back(std::string(path), v); }
    const Value* find(std::string_view path) const {
        for (const auto& [p, v] : found_)
            if (p == path) return &v;
        return nullptr;
    }

private:
    std::vector<std::pair<std::string, Value>> found_;
};

template <typename Config>
struct Key {
    std::string path;         // "timeouts.clearnet.request"
    std::string type;         // as docs/config.md names it: "boolean", "integer", "list of relay URLs", ...
    std::string allowed;      // "5 to 120 s", "bigbrotr, lilbrotr", ...
    std::string description;  // what it does, one or two sentences
    std::function<void(const Value&, Config&)> read;
    std::function<std::string(const Config&)> show;  // the value as YAML would write it
    std::string default_text = {};                   // shown instead of show(Config{}) when set
};

// One file's keys, plus the rules that involve several keys (run after all
// keys are read; `found` has each key the file set).
template <typename Config>
struct FileKeys {
    std::string file;     // "services/monitor.yaml"
    std::string summary;  // one line: what the file configures
    std::vector<Key<Config>> keys;
    std::function<void(Config&, const FoundKeys& found, const std::string& file)> check = {};
};

// Walks `root` by `paths`: calls read(i, value) for each paths[i] present, and
// refuses any key that is neither a path nor a group of paths (the error lists
// the keys allowed at that level, in table order). Records what it found.
void walk_keys(MapValue& root, const std::vector<std::string_view>& paths,
               const std::function<void(std::size_t, const Value&)>& read, FoundKeys& found);

template <typename Config>
void read_keys(const FileKeys<Config>& table, std::string_view yaml, const std::string& file, Config& config) {
    MapValue root = parse_document(yaml, &file);
    std::vector<std::string_view> paths;
    for (const auto& key : table.keys) paths.push_back(key.path);
    FoundKeys found;
    walk_keys(
        root, paths, [&](std::size_t i, const Value& v) { table.keys[i].read(v, config); }, found);
    if (table.check) table.check(config, found, file);
}

template <typename Config>
ConfigFileReference reference_of(const FileKeys<Config>& table) {
    ConfigFileReference out{table.file, table.summary, {}};
    const Config defaults{};
    for (const auto& key : table.keys) {
        const bool literal = key.default_text.empty();
        out.keys.push_back({key.path, key.type, literal ? key.show(defaults) : key.default_text, literal, key.allowed,
                            key.description});
    }
    return out;
}

// ---- builders ---------------------------------------------------------------
// `field` is a generic lambda returning a reference to the member, usable on a
// const and a mutable struct alike; BROTR_FIELD(a.b) writes one.
#define BROTR_FIELD(member) [](auto& c) -> auto& { return c.member; }

std::string with_unit(std::string text, std::string_view unit);
std::string show_number(double d);
std::string show_text(const std::string& s);  // "" for an empty string
inline std::string show_text(const std::filesystem::path& p) { return show_text(p.string()); }

template <typename Config, typename Field>
Key<Config> boolean(std::string path, Field field, std::string description) {
    return {std::move(path), "boolean", "true, false", std::move(description),
            [field](const Value& v, Config& c) { field(c) = v.as_bool(); },
            [field](const Config& c) -> std::string { return field(c) ? "true" : "false"; }};
}

template <typename Config, typename Field>
Key<Config> integer(std::string path, Field field, std::int64_t min, std::int64_t max, std::string_view unit,
                    std::string description) {
    using T = std::remove_cvref_t<decltype(field(std::declval<Config&>()))>;
    return {std::move(path), "integer", with_unit(fmt::format("{} to {}", min, max), unit), std::move(description),
            [field, min, max](const Value& v, Config& c) { field(c) = static_cast<T>(v.as_integer(min, max)); },
            [field](const Config& c) { return fmt::format("{}", field(c)); }};
}

template <typename Config, typename Field>
Key<Config> number(std::string path, Field field, double min, double max, std::string_view unit,
                   std::string description) {
    return {std::move(path), "number", with_unit(fmt::format("{} to {}", show_number(min), show_number(max)), unit),
            std::move(description), [field, min, max](const Value& v, Config& c) { field(c) = v.as_number(min, max); },
            [field](const Config& c) { return show_number(field(c)); }};
}

template <typename Config, typename Field>
Key<Config> number_at_least(std::string path, Field field, double min, std::string_view unit,
                            std::string description) {
    return {std::move(path), "number", with_unit(fmt::format("{} or more", show_number(min)), unit),
            std::move(description), [field, min](const Value& v, Config& c) { field(c) = v.as_number_at_least(min); },
            [field](const Config& c) { return show_number(field(c)); }};
}

// A string checked (and converted) by `parse`, which fails through the Value.
template <typename Config, typename Field, typename Parse>
Key<Config> text(std::string path, Field field, std::string type, std::string allowed, std::string description,
                 Parse parse) {
    return {std::move(path), std::move(type), std::move(allowed), std::move(description),
            [field, parse](const Value& v, Config& c) { field(c) = parse(v); },
            [field](const Config& c) { return show_text(field(c)); }};
}

// One of a fixed set of names, each standing for a value of an enum.
template <typename Config, typename Field, typename Enum>
Key<Config> choice(std::string path, Field field, std::vector<std::pair<std::string, Enum>> names,
                   std::string description) {
    std::string allowed;
    for (const auto& [name, value] : names) allowed += (allowed.empty() ? "" : ", ") + name;
    return {std::move(path), "choice", allowed, std::move(description),
            [field, names, allowed](const Value& v, Config& c) {
                std::string s = v.as_string();
                for (const auto& [name, value] : names) {
                    if (name == s) {
                        field(c) = value;
                        return;
                    }
                }
                v.fail("value " + v.describe() + " is not allowed; allowed: " + allowed);
            },
            [field, names](const Config& c) {
                for (const auto& [name, value] : names)
                    if (value == field(c)) return name;
                return std::string("?");
            }};
}

// Keys that several files share.
template <typename Config, typename Field>
Key<Config> interval_key(Field field) {
    return number<Config>("interval", field, 1, 604800, "s", "Seconds between the starts of two cycles.");
}

template <typename Config>
Key<Config> enabled_key(std::string what) {
    return boolean<Config>("enabled", BROTR_FIELD(enabled), "Whether `brotr run` starts " + std::move(what) + ".");
}

std::string read_host(const Value& v);  // a host name or IP address
// 64 lower-case hex characters (an x-only public key, not npub).
std::string read_public_key(const Value& v);
// The name of an environment variable ([A-Za-z_][A-Za-z0-9_]*), for keys that
// say where a secret is rather than hold it.
std::string read_env_name(const Value& v);
// An IPv4 or IPv6 address for a server to bind. A host name is refused here
// rather than at start.
std::string read_ip_address(const Value& v);

// Relative paths resolve against `base`; the result is lexically normal.
std::filesystem::path resolve_path(const std::filesystem::path& base, const std::filesystem::path& p);

template <typename Config, typename Field>
void append_tor_keys(std::vector<Key<Config>>& keys, Field tor) {
    keys.push_back(boolean<Config>(
        "tor.enabled", [tor](auto& c) -> auto& { return tor(c).enabled; },
        "Reach .onion relays through the SOCKS5 proxy below; when false, .onion relays are skipped."));
    keys.push_back(text<Config>(
        "tor.host", [tor](auto& c) -> auto& { return tor(c).host; }, "string", "a host name or IP address",
        "Host of the Tor SOCKS5 proxy.", read_host));
    keys.push_back(integer<Config>(
        "tor.port", [tor](auto& c) -> auto& { return tor(c).port; }, 1, 65535, "", "Port of the Tor SOCKS5 proxy."));
}

}  // namespace brotr::config_detail
