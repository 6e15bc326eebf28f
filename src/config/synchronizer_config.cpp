// services/synchronizer.yaml: event archiving.
#include <algorithm>
#include <thread>

#include "brotr/config.hpp"
#include "config/common_readers.hpp"

namespace brotr {

using namespace config_detail;

std::uint32_t default_worker_count() {
    unsigned cores = std::thread::hardware_concurrency();
    return std::clamp(cores, 1u, 32u);
}

namespace {

constexpr double kMinRequestTimeout = 5, kMaxRequestTimeout = 120;
constexpr double kMinRelayTimeout = 60, kMaxRelayTimeout = 14400;
constexpr double kMaxStaggerDelay = 3600;
constexpr std::int64_t kMaxTimestamp = 4294967295;  // the last second a u32 timestamp holds (2106)

// Absent or null: nullopt (no restriction). An empty list is refused: as a
// NIP-01 filter it would match nothing, which is never what was meant.
template <typename T, typename ReadOne>
void read_optional_list(MapValue& map, std::string_view key, std::optional<std::vector<T>>& out, ReadOne read_one) {
    auto v = map.get(key);
    if (!v || v->is_null()) return;
    auto elements = v->as_list();
    if (elements.empty()) v->fail("empty list matches nothing; leave the key out (or null) to accept all");
    std::vector<T> values;
    for (const Value& element : elements) values.push_back(read_one(element));
    out = std::move(values);
}

std::string read_hex32(const Value& v) {
    std::string s = v.as_string();
    if (!is_lower_hex(s, 64)) v.fail("expected 64 lower-case hex characters, got " + v.describe());
    return s;
}

void read_filter(MapValue& root, SynchronizerConfig::Filter& out) {
    MapValue filter = root.map("filter");
    read_optional_list(filter, "ids", out.ids, read_hex32);
    read_optional_list(filter, "authors", out.authors, read_hex32);
    read_optional_list(filter, "kinds", out.kinds,
                       [](const Value& v) { return static_cast<std::uint16_t>(v.as_integer(0, 65535)); });
    if (auto v = filter.get("tags"); v && !v->is_null()) {
        MapValue tags = v->as_map();
        std::map<char, std::vector<std::string>> values;
        for (auto& [name, list] : tags.entries()) {
            bool letter = name.size() == 1 && ((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z'));
            if (!letter) list.fail("tag filters use single-letter tag names (NIP-01 #x), got \"" + name + "\"");
            auto elements = list.as_list();
            if (elements.empty()) list.fail("empty list matches nothing; leave the tag out to accept all");
            std::vector<std::string> tag_values;
            for (const Value& e : elements) tag_values.push_back(e.as_string());
            values.emplace(name[0], std::move(tag_values));
        }
        tags.finish();  // catches duplicate letters
        if (values.empty()) v->fail("empty mapping matches nothing; leave the key out (or null) to accept all");
        out.tags = std::move(values);
    }
    filter.read_integer("limit", out.limit, 1, 5000);
    filter.finish();
}

void read_timeouts(MapValue& map, SynchronizerConfig::Timeouts& out) {
    map.read("request", out.request, kMinRequestTimeout, kMaxRequestTimeout);
    map.read("relay", out.relay, kMinRelayTimeout, kMaxRelayTimeout);
    map.finish();
}

void read_concurrency(MapValue& root, SynchronizerConfig::Concurrency& out) {
    MapValue concurrency = root.map("concurrency");
    concurrency.read_integer("max_parallel", out.max_parallel, 1, 100);
    concurrency.read_integer("max_processes", out.max_processes, 1, 32);
    if (auto v = concurrency.get("stagger_delay")) {
        auto bounds = v->as_list();
        if (bounds.size() != 2) v->fail("expected [min, max] in seconds, got a list of " + std::to_string(bounds.size()));
        double low = bounds[0].as_number(0, kMaxStaggerDelay);
        double high = bounds[1].as_number(0, kMaxStaggerDelay);
        if (low > high) v->fail("min is greater than max");
        out.stagger_delay_min = low;
        out.stagger_delay_max = high;
    }
    concurrency.finish();
}

void read_overrides(MapValue& root, std::vector<SynchronizerConfig::Override>& out) {
    auto v = root.get("overrides");
    if (!v || v->is_null()) return;
    for (const Value& element : v->as_list()) {
        MapValue map = element.as_map();
        auto url_value = map.get("url");
        if (!url_value) element.fail("each override needs a url");
        std::string why;
        auto url = RelayUrl::parse(url_value->as_string(), &why);
        if (!url) url_value->fail(url_value->describe() + " is not a relay URL: " + why);
        for (const auto& existing : out) {
            if (existing.url == *url) url_value->fail("a second override for " + url->str());
        }
        SynchronizerConfig::Override entry{*url, std::nullopt, std::nullopt};
        MapValue timeouts = map.map("timeouts");
        if (auto t = timeouts.get("request")) entry.request = t->as_number(kMinRequestTimeout, kMaxRequestTimeout);
        if (auto t = timeouts.get("relay")) entry.relay = t->as_number(kMinRelayTimeout, kMaxRelayTimeout);
        timeouts.finish();
        map.finish();
        out.push_back(std::move(entry));
    }
}

}  // namespace

SynchronizerConfig parse_synchronizer_config(std::string_view yaml, const std::string& file) {
    SynchronizerConfig config;
    MapValue root = parse_document(yaml, &file);
    root.read("enabled", config.enabled);
    read_interval(root, config.interval);
    read_tor(root, config.tor);
    read_filter(root, config.filter);

    MapValue time_range = root.map("time_range");
    time_range.read_integer("default_start", config.time_range.default_start, 0, kMaxTimestamp);
    time_range.read_integer("lookback_seconds", config.time_range.lookback_seconds, 3600, 604800);
    time_range.finish();

    MapValue timeouts = root.map("timeouts");
    MapValue clearnet = timeouts.map("clearnet");
    read_timeouts(clearnet, config.timeouts.clearnet);
    MapValue tor = timeouts.map("tor");
    read_timeouts(tor, config.timeouts.tor);
    timeouts.finish();

    read_concurrency(root, config.concurrency);

    MapValue source = root.map("source");
    if (auto v = source.get("max_metadata_age")) config.source.max_metadata_age = v->as_number_at_least(0);
    source.read("require_readable", config.source.require_readable);
    source.finish();

    read_overrides(root, config.overrides);
    root.finish();
    return config;
}

}  // namespace brotr
