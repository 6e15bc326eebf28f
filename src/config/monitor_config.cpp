// services/monitor.yaml: NIP-11 and NIP-66 checks.
#include "brotr/config.hpp"
#include "config/common_readers.hpp"

namespace brotr {

using namespace config_detail;

MonitorConfig parse_monitor_config(std::string_view yaml, const std::string& file) {
    MonitorConfig config;
    MapValue root = parse_document(yaml, &file);
    root.read("enabled", config.enabled);
    read_interval(root, config.interval);
    read_tor(root, config.tor);

    MapValue keys = root.map("keys");
    read_public_key(keys, config.keys.public_key);
    keys.finish();

    MapValue timeouts = root.map("timeouts");
    timeouts.read("clearnet", config.timeouts.clearnet, 5, 120);
    timeouts.read("tor", config.timeouts.tor, 10, 180);
    timeouts.finish();

    MapValue concurrency = root.map("concurrency");
    concurrency.read_integer("max_parallel", config.concurrency.max_parallel, 1, 500);
    concurrency.read_integer("batch_size", config.concurrency.batch_size, 1, 500);
    concurrency.finish();

    MapValue selection = root.map("selection");
    if (auto v = selection.get("min_age_since_check")) config.selection.min_age_since_check = v->as_number_at_least(0);
    selection.finish();

    root.finish();
    return config;
}

}  // namespace brotr
