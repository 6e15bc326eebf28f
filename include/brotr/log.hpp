// Structured logging: one line per record on stderr,
//   2025-01-01 12:00:00 INFO synchronizer: cycle_completed synced_relays=12 duration=41.2
// i.e. UTC time, level, "service: event", then key=value fields. Values that
// contain spaces, quotes, '=', backslashes or control characters (or are
// empty) are double-quoted with C-style escapes, so a record is always one
// line and a relay-supplied string cannot forge another record.
//
//   log::info("synchronizer", "cycle_completed", {{"synced_relays", 12}, {"duration", 41.2}});
//
// A record below the current level costs one relaxed atomic load: fields are
// views, nothing is formatted or allocated.
#pragma once

#include <atomic>
#include <concepts>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace brotr::log {

enum class Level : int { trace = 0, debug = 1, info = 2, warn = 3, error = 4, off = 5 };

std::string_view to_string(Level level);  // "trace" ... "off"
// Accepts the names above (any case) and "warning"; nullopt otherwise.
std::optional<Level> level_from_string(std::string_view name);

void set_level(Level level);
Level level();

// One key=value pair. Text is held by reference: it must outlive the call,
// which temporaries in the call expression do.
class Field {
public:
    enum class Kind : std::uint8_t { text, signed_integer, unsigned_integer, real, boolean };

    Field(std::string_view key, std::string_view value) : key_(key), kind_(Kind::text), text_(value), signed_(0) {}
    Field(std::string_view key, const char* value) : Field(key, std::string_view(value ? value : "")) {}
    Field(std::string_view key, const std::string& value) : Field(key, std::string_view(value)) {}
    Field(std::string_view key, bool value) : key_(key), kind_(Kind::boolean), boolean_(value) {}
    template <std::signed_integral T>
        requires(!std::same_as<T, bool>)
    Field(std::string_view key, T value) : key_(key), kind_(Kind::signed_integer), signed_(value) {}
    template <std::unsigned_integral T>
        requires(!std::same_as<T, bool>)
    Field(std::string_view key, T value) : key_(key), kind_(Kind::unsigned_integer), unsigned_(value) {}
    template <std::floating_point T>
    Field(std::string_view key, T value) : key_(key), kind_(Kind::real), real_(static_cast<double>(value)) {}

    std::string_view key() const { return key_; }
    Kind kind() const { return kind_; }
    std::string_view text() const { return text_; }
    std::int64_t signed_value() const { return signed_; }
    std::uint64_t unsigned_value() const { return unsigned_; }
    double real_value() const { return real_; }
    bool boolean_value() const { return boolean_; }

private:
    std::string_view key_;
    Kind kind_;
    std::string_view text_;
    union {
        std::int64_t signed_;
        std::uint64_t unsigned_;
        double real_;
        bool boolean_;
    };
};

// Fields built at run time, e.g. a service's cycle summary.
using FieldList = std::vector<std::pair<std::string, std::string>>;

namespace detail {
extern std::atomic<int> current_level;
void write(Level level, std::string_view service, std::string_view event, const Field* begin, const Field* end);
void write(Level level, std::string_view service, std::string_view event, const FieldList& fields);
}  // namespace detail

inline bool enabled(Level level) {
    return static_cast<int>(level) >= detail::current_level.load(std::memory_order_relaxed);
}

inline void write(Level level, std::string_view service, std::string_view event,
                  std::initializer_list<Field> fields = {}) {
    if (enabled(level)) detail::write(level, service, event, fields.begin(), fields.end());
}
inline void write(Level level, std::string_view service, std::string_view event, const FieldList& fields) {
    if (enabled(level)) detail::write(level, service, event, fields);
}

inline void trace(std::string_view s, std::string_view e, std::initializer_list<Field> f = {}) { write(Level::trace, s, e, f); }
inline void debug(std::string_view s, std::string_view e, std::initializer_list<Field> f = {}) { write(Level::debug, s, e, f); }
inline void info(std::string_view s, std::string_view e, std::initializer_list<Field> f = {}) { write(Level::info, s, e, f); }
inline void warn(std::string_view s, std::string_view e, std::initializer_list<Field> f = {}) { write(Level::warn, s, e, f); }
inline void error(std::string_view s, std::string_view e, std::initializer_list<Field> f = {}) { write(Level::error, s, e, f); }

inline void trace(std::string_view s, std::string_view e, const FieldList& f) { write(Level::trace, s, e, f); }
inline void debug(std::string_view s, std::string_view e, const FieldList& f) { write(Level::debug, s, e, f); }
inline void info(std::string_view s, std::string_view e, const FieldList& f) { write(Level::info, s, e, f); }
inline void warn(std::string_view s, std::string_view e, const FieldList& f) { write(Level::warn, s, e, f); }
inline void error(std::string_view s, std::string_view e, const FieldList& f) { write(Level::error, s, e, f); }

}  // namespace brotr::log
