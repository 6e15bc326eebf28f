// services/dvm.yaml: the NIP-90 Data Vending Machine.
#include "config/key_tables.hpp"

namespace brotr {

using namespace config_detail;

namespace {

using C = DvmConfig;

std::vector<RelayUrl> read_relays(const Value& v) {
    std::vector<RelayUrl> out;
    if (v.is_null()) return out;
    for (const Value& element : v.as_list()) {
        std::string why;
        auto url = RelayUrl::parse(element.as_string(), &why);
        if (!url) element.fail(element.describe() + " is not a relay URL: " + why);
        out.push_back(*url);
    }
    return out;
}

FileKeys<C> make_table() {
    FileKeys<C> t{"services/dvm.yaml",
                  "The NIP-90 Data Vending Machine (not built yet: enabled must stay false).", {}};
    auto& k = t.keys;
    k.push_back(boolean<C>("enabled", BROTR_FIELD(enabled),
                           "Whether `brotr run` starts the DVM. The DVM service is not part of this release, so "
                           "true is refused rather than silently ignored."));
    k.push_back({"relays", "list", "a list of relay URLs",
                 "Relays where job requests are read and results published.",
                 [](const Value& v, C& c) { c.relays = read_relays(v); },
                 [](const C& c) {
                     std::string urls;
                     for (const auto& r : c.relays) urls += (urls.empty() ? "" : ", ") + r.str();
                     return "[" + urls + "]";
                 }});
    k.push_back(integer<C>("kind", BROTR_FIELD(kind), 5000, 5999, "",
                           "The NIP-90 job request kind answered; results are kind + 1000."));
    k.push_back(boolean<C>("announce", BROTR_FIELD(announce), "Publish a NIP-89 announcement (kind 31990)."));
    Key<C> key = text<C>("keys.public_key", BROTR_FIELD(keys.public_key), "string", "64 lower-case hex characters",
                         "The DVM's x-only public key; DVM_PRIVATE_KEY must match it.", read_public_key);
    key.default_text = "unset";
    k.push_back(std::move(key));
    k.push_back(integer<C>("max_results", BROTR_FIELD(max_results), 1, 1000, "events",
                           "The most events one job result holds."));
    t.check = [](C& c, const FoundKeys& found, const std::string& file) {
        if (!c.enabled) return;
        if (c.relays.empty()) {
            if (const Value* v = found.find("relays")) v->fail("an enabled DVM needs at least one relay");
            throw ConfigError(file, "relays", "an enabled DVM needs at least one relay");
        }
        found.find("enabled")->fail("the dvm service is not available in this release; set enabled: false");
    };
    return t;
}

}  // namespace

const FileKeys<DvmConfig>& config_detail::dvm_keys() {
    static const FileKeys<DvmConfig> table = make_table();
    return table;
}

DvmConfig parse_dvm_config(std::string_view yaml, const std::string& file) {
    DvmConfig config;
    read_keys(dvm_keys(), yaml, file, config);
    return config;
}

}  // namespace brotr
