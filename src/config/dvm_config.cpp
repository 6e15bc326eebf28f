// services/dvm.yaml: the NIP-90 Data Vending Machine.
#include "brotr/config.hpp"
#include "config/common_readers.hpp"

namespace brotr {

using namespace config_detail;

DvmConfig parse_dvm_config(std::string_view yaml, const std::string& file) {
    DvmConfig config;
    MapValue root = parse_document(yaml, &file);
    root.read("enabled", config.enabled);
    auto relays = root.get("relays");
    if (relays && !relays->is_null()) {
        for (const Value& element : relays->as_list()) {
            std::string why;
            auto url = RelayUrl::parse(element.as_string(), &why);
            if (!url) element.fail(element.describe() + " is not a relay URL: " + why);
            config.relays.push_back(*url);
        }
    }
    root.read_integer("kind", config.kind, 5000, 5999);  // NIP-90 job request range
    root.read("announce", config.announce);
    MapValue keys = root.map("keys");
    read_public_key(keys, config.keys.public_key);
    keys.finish();
    root.read_integer("max_results", config.max_results, 1, 1000);
    root.finish();
    if (config.enabled && config.relays.empty()) {
        if (relays) relays->fail("an enabled DVM needs at least one relay");
        throw ConfigError(file, "relays", "an enabled DVM needs at least one relay");
    }
    return config;
}

}  // namespace brotr
