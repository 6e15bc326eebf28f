// services/synchronizer.yaml: event archiving.
#include <algorithm>
#include <thread>

#include "config/key_tables.hpp"

namespace brotr {

using namespace config_detail;

std::uint32_t default_worker_count() {
    unsigned cores = std::thread::hardware_concurrency();
    return std::clamp(cores, 1u, 32u);
}

namespace {

using C = SynchronizerConfig;

constexpr double kMinRequestTimeout = 5, kMaxRequestTimeout = 120;
constexpr double kMinRelayTimeout = 60, kMaxRelayTimeout = 14400;
constexpr double kMaxStaggerDelay = 3600;
constexpr std::int64_t kMaxTimestamp = 4294967295;  // the last second a u32 timestamp holds (2106)

// Absent or null: nullopt (no restriction). An empty list is refused: as a
// NIP-01 filter it would match nothing, which is never what was meant.
template <typename T, typename ReadOne>
std::optional<std::vector<T>> read_optional_list(const Value& v, ReadOne read_one) {
    if (v.is_null()) return std::nullopt;
    auto elements = v.as_list();
    if (elements.empty()) v.fail("empty list matches nothing; leave the key out (or null) to accept all");
    std::vector<T> values;
    for (const Value& element : elements) values.push_back(read_one(element));
    return values;
}

std::string read_hex32(const Value& v) {
    std::string s = v.as_string();
    if (!is_lower_hex(s, 64)) v.fail("expected 64 lower-case hex characters, got " + v.describe());
    return s;
}

std::optional<std::map<char, std::vector<std::string>>> read_tags(const Value& v) {
    if (v.is_null()) return std::nullopt;
    MapValue tags = v.as_map();
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
    if (values.empty()) v.fail("empty mapping matches nothing; leave the key out (or null) to accept all");
    return values;
}

template <typename Optional>
std::string show_unset_as_null(const Optional& o) {
    return o ? "set" : "null";
}

void read_stagger_delay(const Value& v, C& c) {
    auto bounds = v.as_list();
    if (bounds.size() != 2) v.fail("expected [min, max] in seconds, got a list of " + std::to_string(bounds.size()));
    double low = bounds[0].as_number(0, kMaxStaggerDelay);
    double high = bounds[1].as_number(0, kMaxStaggerDelay);
    if (low > high) v.fail("min is greater than max");
    c.concurrency.stagger_delay_min = low;
    c.concurrency.stagger_delay_max = high;
}

std::vector<C::Override> read_overrides(const Value& v) {
    std::vector<C::Override> out;
    if (v.is_null()) return out;
    for (const Value& element : v.as_list()) {
        MapValue map = element.as_map();
        auto url_value = map.get("url");
        if (!url_value) element.fail("each override needs a url");
        std::string why;
        auto url = RelayUrl::parse(url_value->as_string(), &why);
        if (!url) url_value->fail(url_value->describe() + " is not a relay URL: " + why);
        for (const auto& existing : out) {
            if (existing.url == *url) url_value->fail("a second override for " + url->str());
        }
        C::Override entry{*url, std::nullopt, std::nullopt};
        MapValue timeouts = map.map("timeouts");
        if (auto t = timeouts.get("request")) entry.request = t->as_number(kMinRequestTimeout, kMaxRequestTimeout);
        if (auto t = timeouts.get("relay")) entry.relay = t->as_number(kMinRelayTimeout, kMaxRelayTimeout);
        timeouts.finish();
        map.finish();
        out.push_back(std::move(entry));
    }
    return out;
}

template <typename Field>
void append_network_timeouts(std::vector<Key<C>>& k, const std::string& network, Field timeouts) {
    k.push_back(number<C>(
        "timeouts." + network + ".request", [timeouts](auto& c) -> auto& { return timeouts(c).request; },
        kMinRequestTimeout, kMaxRequestTimeout, "s", "Time for one request to a " + network + " relay."));
    k.push_back(number<C>(
        "timeouts." + network + ".relay", [timeouts](auto& c) -> auto& { return timeouts(c).relay; },
        kMinRelayTimeout, kMaxRelayTimeout, "s", "Time for all of one " + network + " relay's sync in a cycle."));
}

FileKeys<C> make_table() {
    FileKeys<C> t{"services/synchronizer.yaml", "The synchronizer: archives the events of every selected relay.", {}};
    auto& k = t.keys;
    k.push_back(enabled_key<C>("the synchronizer"));
    k.push_back(interval_key<C>(BROTR_FIELD(interval)));
    append_tor_keys<C>(k, BROTR_FIELD(tor));
    const std::string hex_list = "a list of 64 lower-case hex strings, or null";
    k.push_back({"filter.ids", "list", hex_list, "Only events with these ids. Null or absent: any.",
                 [](const Value& v, C& c) { c.filter.ids = read_optional_list<std::string>(v, read_hex32); },
                 [](const C& c) { return show_unset_as_null(c.filter.ids); }});
    k.push_back({"filter.kinds", "list", "a list of integers 0 to 65535, or null",
                 "Only events of these kinds. Null or absent: any.",
                 [](const Value& v, C& c) {
                     c.filter.kinds = read_optional_list<std::uint16_t>(
                         v, [](const Value& e) { return static_cast<std::uint16_t>(e.as_integer(0, 65535)); });
                 },
                 [](const C& c) { return show_unset_as_null(c.filter.kinds); }});
    k.push_back({"filter.authors", "list", hex_list, "Only events by these authors. Null or absent: any.",
                 [](const Value& v, C& c) { c.filter.authors = read_optional_list<std::string>(v, read_hex32); },
                 [](const C& c) { return show_unset_as_null(c.filter.authors); }});
    k.push_back({"filter.tags", "mapping", "single-letter tag names to lists of values, or null",
                 "Only events with these tag values (NIP-01 #x filters), e.g. {p: [\"<64 hex>\"]}. Null or "
                 "absent: any.",
                 [](const Value& v, C& c) { c.filter.tags = read_tags(v); },
                 [](const C& c) { return show_unset_as_null(c.filter.tags); }});
    k.push_back(integer<C>("filter.limit", BROTR_FIELD(filter.limit), 1, 5000, "events",
                           "Events asked for in one REQ; relays may answer with fewer."));
    k.push_back(integer<C>("time_range.default_start", BROTR_FIELD(time_range.default_start), 0, kMaxTimestamp,
                           "(Unix time)", "Where the sync of a relay with no saved position starts."));
    k.push_back(integer<C>("time_range.lookback_seconds", BROTR_FIELD(time_range.lookback_seconds), 3600, 604800,
                           "s", "Sync up to now minus this, so late events of the window still arrive."));
    append_network_timeouts(k, "clearnet", BROTR_FIELD(timeouts.clearnet));
    append_network_timeouts(k, "tor", BROTR_FIELD(timeouts.tor));
    k.push_back(integer<C>("concurrency.max_parallel", BROTR_FIELD(concurrency.max_parallel), 1, 100,
                           "relays per worker", "Relays synced at once by each worker."));
    Key<C> workers = integer<C>("concurrency.max_processes", BROTR_FIELD(concurrency.max_processes), 1, 32,
                                "workers", "Workers syncing relays; the default is one per core.");
    workers.default_text = "one per core, at most 32";
    k.push_back(std::move(workers));
    k.push_back({"concurrency.stagger_delay", "list", "[min, max], each 0 to 3600 s, min <= max",
                 "Each relay's sync starts after a random delay in this range.", read_stagger_delay,
                 [](const C& c) {
                     return fmt::format("[{}, {}]", show_number(c.concurrency.stagger_delay_min),
                                        show_number(c.concurrency.stagger_delay_max));
                 }});
    k.push_back(number_at_least<C>("source.max_metadata_age", BROTR_FIELD(source.max_metadata_age), 0, "s",
                                   "Only relays the monitor checked this recently are synced."));
    k.push_back(boolean<C>("source.require_readable", BROTR_FIELD(source.require_readable),
                           "Only relays the monitor found readable are synced."));
    k.push_back({"overrides", "list",
                 "a list of {url, timeouts: {request, relay}}, the timeouts within the ranges above",
                 "Per-relay timeouts (for very large relays); a timeout left out is the network's.",
                 [](const Value& v, C& c) { c.overrides = read_overrides(v); },
                 [](const C& c) { return c.overrides.empty() ? std::string("[]") : std::string("set"); }});
    return t;
}

}  // namespace

const FileKeys<SynchronizerConfig>& config_detail::synchronizer_keys() {
    static const FileKeys<SynchronizerConfig> table = make_table();
    return table;
}

SynchronizerConfig parse_synchronizer_config(std::string_view yaml, const std::string& file) {
    SynchronizerConfig config;
    read_keys(synchronizer_keys(), yaml, file, config);
    return config;
}

}  // namespace brotr
