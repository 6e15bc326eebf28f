#include "config/yaml_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "brotr/config.hpp"

namespace brotr {

ConfigError::ConfigError(std::string file, std::string key, const std::string& problem)
    : std::runtime_error(key.empty() ? file + ": " + problem : file + ": " + key + ": " + problem),
      file_(std::move(file)),
      key_(std::move(key)) {}

namespace config_detail {
namespace {

std::string line_suffix(const YAML::Node& node) {
    YAML::Mark mark = node.Mark();
    if (mark.is_null()) return {};
    return fmt::format(" (line {})", mark.line + 1);
}

std::string number_text(double d) { return fmt::format("{}", d); }

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    return out;
}

// Key names that hold credentials. Matched as substrings of the lower-cased
// key, so "db_password" and "privateKey" are caught too.
constexpr std::string_view kSecretWords[] = {"password", "passwd", "secret", "private_key", "privatekey",
                                             "private-key", "privkey", "nsec", "token", "api_key", "apikey"};

void refuse_secrets(const YAML::Node& node, const std::string& file, const std::string& path) {
    if (node.IsMap()) {
        for (const auto& entry : node) {
            std::string key = entry.first.IsScalar() ? entry.first.Scalar() : std::string("?");
            std::string child = path.empty() ? key : path + "." + key;
            std::string lowered = lower(key);
            // "password_env" and the like name an environment variable: fine.
            const bool names_env_var = lowered.ends_with("_env");
            for (std::string_view word : kSecretWords) {
                if (!names_env_var && lowered.find(word) != std::string::npos) {
                    throw ConfigError(file, child,
                                      "looks like a secret; secrets are never read from YAML files. Set it in "
                                      "the environment instead (MONITOR_PRIVATE_KEY, DVM_PRIVATE_KEY, or the "
                                      "variable named by export.password_env)" + line_suffix(entry.first));
                }
            }
            refuse_secrets(entry.second, file, child);
        }
    } else if (node.IsSequence()) {
        std::size_t i = 0;
        for (const auto& element : node) refuse_secrets(element, file, fmt::format("{}[{}]", path, i++));
    } else if (node.IsScalar() && lower(node.Scalar()).starts_with("nsec1")) {
        // Value deliberately not echoed.
        throw ConfigError(file, path,
                          "value looks like a secret key (nsec); secrets are never read from YAML files" +
                              line_suffix(node));
    }
}

}  // namespace

Value::Value(YAML::Node node, const std::string* file, std::string path)
    : node_(std::move(node)), file_(file), path_(std::move(path)) {}

void Value::fail(const std::string& problem) const { throw ConfigError(*file_, path_, problem + line_suffix(node_)); }

std::string Value::describe() const {
    if (node_.IsNull()) return "null";
    if (node_.IsSequence()) return "a list";
    if (node_.IsMap()) return "a mapping";
    std::string text = node_.Scalar();
    if (text.size() > 80) text = text.substr(0, 80) + "...";
    std::string out = "\"";
    for (char c : text) {
        auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7F) {
            out += fmt::format("\\x{:02x}", byte);
        } else {
            out.push_back(c);
        }
    }
    return out + "\"";
}

bool Value::as_bool() const {
    bool out = false;
    if (!node_.IsScalar() || !YAML::convert<bool>::decode(node_, out)) {
        fail("expected true or false, got " + describe());
    }
    return out;
}

std::string Value::as_string() const {
    if (!node_.IsScalar()) fail("expected a string, got " + describe());
    return node_.Scalar();
}

std::string Value::as_nonempty_string() const {
    std::string s = as_string();
    if (s.empty()) fail("must not be empty");
    return s;
}

double Value::as_number(double min, double max) const {
    double out = 0;
    if (!node_.IsScalar() || !YAML::convert<double>::decode(node_, out) || !std::isfinite(out)) {
        fail("expected a number, got " + describe());
    }
    if (out < min || out > max) {
        fail(fmt::format("value {} is out of range; allowed {} to {}", number_text(out), number_text(min),
                         number_text(max)));
    }
    return out;
}

double Value::as_number_at_least(double min) const {
    double out = 0;
    if (!node_.IsScalar() || !YAML::convert<double>::decode(node_, out) || !std::isfinite(out)) {
        fail("expected a number, got " + describe());
    }
    if (out < min) fail(fmt::format("value {} is out of range; allowed {} or more", number_text(out), number_text(min)));
    return out;
}

std::int64_t Value::as_integer(std::int64_t min, std::int64_t max) const {
    std::int64_t out = 0;
    if (!node_.IsScalar() || !YAML::convert<std::int64_t>::decode(node_, out)) {
        fail("expected an integer, got " + describe());
    }
    if (out < min || out > max) fail(fmt::format("value {} is out of range; allowed {} to {}", out, min, max));
    return out;
}

std::vector<Value> Value::as_list() const {
    if (!node_.IsSequence()) fail("expected a list, got " + describe());
    std::vector<Value> out;
    std::size_t i = 0;
    for (const auto& element : node_) out.emplace_back(element, file_, fmt::format("{}[{}]", path_, i++));
    return out;
}

MapValue Value::as_map() const {
    if (!node_.IsNull() && !node_.IsMap()) fail("expected a mapping of keys to values, got " + describe());
    return MapValue(node_, file_, path_);
}

MapValue::MapValue(YAML::Node node, const std::string* file, std::string path)
    : node_(std::move(node)), file_(file), path_(std::move(path)) {}

std::string MapValue::child_path(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

std::optional<Value> MapValue::get(std::string_view key) {
    known_.emplace_back(key);
    if (!node_.IsMap()) return std::nullopt;
    for (const auto& entry : node_) {
        if (entry.first.IsScalar() && entry.first.Scalar() == key) {
            return Value(entry.second, file_, child_path(key));
        }
    }
    return std::nullopt;
}

MapValue MapValue::map(std::string_view key) {
    if (auto v = get(key)) return v->as_map();
    return MapValue(YAML::Node(), file_, child_path(key));
}

void MapValue::read(std::string_view key, bool& out) {
    if (auto v = get(key)) out = v->as_bool();
}

void MapValue::read(std::string_view key, std::string& out) {
    if (auto v = get(key)) out = v->as_string();
}

void MapValue::read(std::string_view key, double& out, double min, double max) {
    if (auto v = get(key)) out = v->as_number(min, max);
}

std::vector<std::pair<std::string, Value>> MapValue::entries() {
    std::vector<std::pair<std::string, Value>> out;
    if (!node_.IsMap()) return out;
    for (const auto& entry : node_) {
        if (!entry.first.IsScalar()) {
            throw ConfigError(*file_, path_, "keys must be plain names" + line_suffix(entry.first));
        }
        const std::string& key = entry.first.Scalar();
        known_.push_back(key);
        out.emplace_back(key, Value(entry.second, file_, child_path(key)));
    }
    return out;
}

void MapValue::finish() const {
    if (!node_.IsMap()) return;
    std::set<std::string> seen;
    for (const auto& entry : node_) {
        if (!entry.first.IsScalar()) {
            throw ConfigError(*file_, path_, "keys must be plain names" + line_suffix(entry.first));
        }
        const std::string& key = entry.first.Scalar();
        if (!seen.insert(key).second) {
            throw ConfigError(*file_, child_path(key), "duplicate key" + line_suffix(entry.first));
        }
        if (std::find(known_.begin(), known_.end(), key) == known_.end()) {
            std::string allowed;
            for (const auto& k : known_) allowed += (allowed.empty() ? "" : ", ") + k;
            throw ConfigError(*file_, child_path(key),
                              "unknown key; allowed keys here: " + allowed + line_suffix(entry.first));
        }
    }
}

MapValue parse_document(std::string_view text, const std::string* file) {
    YAML::Node root;
    try {
        root = YAML::Load(std::string(text));
    } catch (const YAML::Exception& e) {
        throw ConfigError(*file, "",
                          fmt::format("YAML syntax error at line {}, column {}: {}", e.mark.line + 1,
                                      e.mark.column + 1, e.msg));
    }
    if (!root.IsNull() && !root.IsMap()) {
        throw ConfigError(*file, "", "expected a mapping of keys to values at the top level" + line_suffix(root));
    }
    refuse_secrets(root, *file, "");
    return MapValue(root, file, "");
}

bool is_lower_hex(std::string_view s, std::size_t length) {
    if (s.size() != length) return false;
    return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace config_detail
}  // namespace brotr
