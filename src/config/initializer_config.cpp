// services/initializer.yaml: seeding the relay registry.
#include "brotr/config.hpp"
#include "config/common_readers.hpp"

namespace brotr {

using namespace config_detail;

InitializerConfig parse_initializer_config(std::string_view yaml, const std::string& file,
                                           const std::filesystem::path& base_dir) {
    InitializerConfig config;
    MapValue root = parse_document(yaml, &file);
    MapValue seed = root.map("seed");
    seed.read("enabled", config.seed.enabled);
    if (auto v = seed.get("file_path")) config.seed.file_path = v->as_nonempty_string();
    seed.finish();
    root.finish();
    config.seed.file_path = resolve_path(base_dir, config.seed.file_path);
    return config;
}

}  // namespace brotr
