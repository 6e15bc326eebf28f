// services/initializer.yaml: seeding the relay registry.
#include "config/key_tables.hpp"

namespace brotr {

using namespace config_detail;

namespace {

using C = InitializerConfig;

FileKeys<C> make_table() {
    FileKeys<C> t{"services/initializer.yaml", "The initializer: creates or opens the store and seeds relays.", {}};
    auto& k = t.keys;
    k.push_back(boolean<C>("seed.enabled", BROTR_FIELD(seed.enabled),
                           "Add the relays of seed.file_path to the registry at start-up."));
    k.push_back(text<C>("seed.file_path", BROTR_FIELD(seed.file_path), "path", "a file path",
                        "One relay URL per line, '#' comments; relative to the implementation directory.",
                        [](const Value& v) { return std::filesystem::path(v.as_nonempty_string()); }));
    return t;
}

}  // namespace

const FileKeys<InitializerConfig>& config_detail::initializer_keys() {
    static const FileKeys<InitializerConfig> table = make_table();
    return table;
}

InitializerConfig parse_initializer_config(std::string_view yaml, const std::string& file,
                                           const std::filesystem::path& base_dir) {
    InitializerConfig config;
    read_keys(initializer_keys(), yaml, file, config);
    config.seed.file_path = resolve_path(base_dir, config.seed.file_path);
    return config;
}

}  // namespace brotr
