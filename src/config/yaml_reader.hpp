// Typed, validating access to a parsed YAML document. Every value is read
// through a Value (a node plus its key path), so every error can name the
// file, the key path, the value found and what is allowed. Only the config
// loaders include this (and yaml-cpp).
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace brotr::config_detail {

class MapValue;

class Value {
public:
    Value(YAML::Node node, const std::string* file, std::string path);

    const std::string& path() const { return path_; }
    const std::string& file() const { return *file_; }
    bool is_null() const { return node_.IsNull(); }

    // Throws ConfigError: "<file>: <path>: <problem> (line N)".
    [[noreturn]] void fail(const std::string& problem) const;
    // How the value looks in an error message: "\"text\"", "a list", ...
    std::string describe() const;

    bool as_bool() const;
    std::string as_string() const;                 // any scalar
    std::string as_nonempty_string() const;
    double as_number(double min, double max) const;      // finite, within [min, max]
    double as_number_at_least(double min) const;
    std::int64_t as_integer(std::int64_t min, std::int64_t max) const;
    std::vector<Value> as_list() const;            // elements get paths "path[i]"
    MapValue as_map() const;                       // null counts as an empty mapping

private:
    YAML::Node node_;
    const std::string* file_;
    std::string path_;
};

// A mapping whose keys are consumed by the reader; finish() refuses the rest.
class MapValue {
public:
    MapValue(YAML::Node node, const std::string* file, std::string path);

    // Nullopt when absent. Marks `key` as known either way.
    std::optional<Value> get(std::string_view key);
    // Absent or null: an empty mapping.
    MapValue map(std::string_view key);

    void read(std::string_view key, bool& out);
    void read(std::string_view key, std::string& out);
    void read(std::string_view key, double& out, double min, double max);
    template <typename Int>
    void read_integer(std::string_view key, Int& out, std::int64_t min, std::int64_t max) {
        if (auto v = get(key)) out = static_cast<Int>(v->as_integer(min, max));
    }

    // Every entry, for mappings whose keys are data (e.g. tag letters);
    // non-scalar keys throw. Marks all keys as known.
    std::vector<std::pair<std::string, Value>> entries();

    // Throws for a key no get()/read()/map() asked about, listing the known ones.
    void finish() const;

private:
    std::string child_path(std::string_view key) const;

    YAML::Node node_;
    const std::string* file_;
    std::string path_;
    std::vector<std::string> known_;
};

// Parses `text`; a syntax error, a document that is not a mapping, or a key
// that looks like a secret throws. `file` must outlive the returned value.
MapValue parse_document(std::string_view text, const std::string* file);

// "[A-Za-z0-9._-]" style checks shared by the loaders.
bool is_lower_hex(std::string_view s, std::size_t length);

}  // namespace brotr::config_detail
