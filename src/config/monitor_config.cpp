// services/monitor.yaml: NIP-11 and NIP-66 checks.
#include "config/key_tables.hpp"

namespace brotr {

using namespace config_detail;

namespace {

using C = MonitorConfig;

FileKeys<C> make_table() {
    FileKeys<C> t{"services/monitor.yaml", "The monitor: NIP-11 documents and NIP-66 open/read/write checks.", {}};
    auto& k = t.keys;
    k.push_back(enabled_key<C>("the monitor"));
    k.push_back(interval_key<C>(BROTR_FIELD(interval)));
    append_tor_keys<C>(k, BROTR_FIELD(tor));
    Key<C> key = text<C>("keys.public_key", BROTR_FIELD(keys.public_key), "string", "64 lower-case hex characters",
                         "The monitor's x-only public key; MONITOR_PRIVATE_KEY must match it. Unset: no write "
                         "test and nothing is signed.",
                         read_public_key);
    key.default_text = "unset";
    k.push_back(std::move(key));
    k.push_back(number<C>("timeouts.clearnet", BROTR_FIELD(timeouts.clearnet), 5, 120, "s",
                          "Time for each check of a clearnet relay."));
    k.push_back(number<C>("timeouts.tor", BROTR_FIELD(timeouts.tor), 10, 180, "s",
                          "Time for each check of a .onion relay."));
    k.push_back(integer<C>("concurrency.max_parallel", BROTR_FIELD(concurrency.max_parallel), 1, 500, "relays",
                           "Relays checked at once."));
    k.push_back(integer<C>("concurrency.batch_size", BROTR_FIELD(concurrency.batch_size), 1, 500, "relays",
                           "Relays whose results are stored together."));
    k.push_back(number_at_least<C>("selection.min_age_since_check", BROTR_FIELD(selection.min_age_since_check), 0,
                                   "s", "Relays checked more recently than this are skipped in a cycle."));
    return t;
}

}  // namespace

const FileKeys<MonitorConfig>& config_detail::monitor_keys() {
    static const FileKeys<MonitorConfig> table = make_table();
    return table;
}

MonitorConfig parse_monitor_config(std::string_view yaml, const std::string& file) {
    MonitorConfig config;
    read_keys(monitor_keys(), yaml, file, config);
    return config;
}

}  // namespace brotr
