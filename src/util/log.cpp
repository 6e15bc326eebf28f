// The logger behind brotr/log.hpp: spdlog with a UTC "date time LEVEL message"
// pattern, writing to stderr unless a sink was set.
#include "brotr/log.hpp"

#include <memory>

#include <spdlog/logger.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>

#include "util/log_format.hpp"
#include "util/log_sink.hpp"

namespace brotr::log {

namespace detail {
std::atomic<int> current_level{static_cast<int>(Level::info)};
}  // namespace detail

namespace {

constexpr std::string_view kNames[] = {"trace", "debug", "info", "warn", "error", "off"};

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string_view upper_name(spdlog::level::level_enum level) {
    switch (level) {
        case spdlog::level::trace: return "TRACE";
        case spdlog::level::debug: return "DEBUG";
        case spdlog::level::info: return "INFO";
        case spdlog::level::warn: return "WARN";
        case spdlog::level::err: return "ERROR";
        case spdlog::level::critical: return "CRITICAL";
        default: return "OFF";
    }
}

spdlog::level::level_enum to_spdlog(Level level) {
    switch (level) {
        case Level::trace: return spdlog::level::trace;
        case Level::debug: return spdlog::level::debug;
        case Level::info: return spdlog::level::info;
        case Level::warn: return spdlog::level::warn;
        case Level::error: return spdlog::level::err;
        case Level::off: break;
    }
    return spdlog::level::off;
}

// spdlog's own level names are lower-case; records here use "INFO", "WARN"...
class UpperLevelFlag : public spdlog::custom_flag_formatter {
public:
    void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
        std::string_view name = upper_name(msg.level);
        dest.append(name.data(), name.data() + name.size());
    }
    std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<UpperLevelFlag>(); }
};

std::shared_ptr<spdlog::logger> make_logger(std::shared_ptr<spdlog::sinks::sink> sink) {
    // Not registered with spdlog's global registry: other code using spdlog's
    // default logger is unaffected, and nothing here depends on it.
    auto logger = std::make_shared<spdlog::logger>("brotr", std::move(sink));
    auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
    formatter->add_flag<UpperLevelFlag>('*').set_pattern("%Y-%m-%d %H:%M:%S %* %v");
    logger->set_formatter(std::move(formatter));
    logger->set_level(spdlog::level::trace);  // filtering happens before formatting, in log.hpp
    logger->flush_on(spdlog::level::trace);
    return logger;
}

std::shared_ptr<spdlog::logger> stderr_logger() {
    return make_logger(std::make_shared<spdlog::sinks::stderr_sink_mt>());
}

std::atomic<std::shared_ptr<spdlog::logger>>& current_logger() {
    static std::atomic<std::shared_ptr<spdlog::logger>> logger{stderr_logger()};
    return logger;
}

void emit(Level level, const std::string& message) {
    current_logger().load()->log(to_spdlog(level), std::string_view(message));
}

std::string start_message(std::string_view service, std::string_view event) {
    std::string message;
    message.reserve(128);
    message.append(service);
    message.append(": ");
    message.append(event);
    return message;
}

}  // namespace

std::string_view to_string(Level level) {
    auto index = static_cast<std::size_t>(level);
    return index < std::size(kNames) ? kNames[index] : "off";
}

std::optional<Level> level_from_string(std::string_view name) {
    std::string lower;
    for (char c : name) lower.push_back(ascii_lower(c));
    if (lower == "warning") return Level::warn;
    for (std::size_t i = 0; i < std::size(kNames); ++i) {
        if (lower == kNames[i]) return static_cast<Level>(i);
    }
    return std::nullopt;
}

void set_level(Level level) { detail::current_level.store(static_cast<int>(level), std::memory_order_relaxed); }

Level level() { return static_cast<Level>(detail::current_level.load(std::memory_order_relaxed)); }

void set_sink(std::shared_ptr<spdlog::sinks::sink> sink) {
    current_logger().store(sink ? make_logger(std::move(sink)) : stderr_logger());
}

namespace detail {

void write(Level level, std::string_view service, std::string_view event, const Field* begin, const Field* end) {
    if (level == Level::off) return;
    std::string message = start_message(service, event);
    for (const Field* f = begin; f != end; ++f) append_field(message, *f);
    emit(level, message);
}

void write(Level level, std::string_view service, std::string_view event, const FieldList& fields) {
    if (level == Level::off) return;
    std::string message = start_message(service, event);
    for (const auto& [key, value] : fields) append_field(message, key, value);
    emit(level, message);
}

}  // namespace detail
}  // namespace brotr::log
