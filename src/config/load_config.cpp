// Loading an implementation directory: brotr.yaml plus services/<name>.yaml.
#include <fstream>
#include <sstream>
#include <system_error>

#include "brotr/config.hpp"

namespace brotr {

namespace fs = std::filesystem;

namespace {

// Nullopt when the file does not exist (defaults apply).
std::optional<std::string> read_if_present(const fs::path& path) {
    std::error_code ec;
    if (!fs::exists(path, ec)) return std::nullopt;
    if (!fs::is_regular_file(path, ec)) throw ConfigError(path.string(), "", "not a regular file");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ConfigError(path.string(), "", "cannot be read");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string known_service_files() {
    std::string list;
    for (auto name : kServiceNames) list += (list.empty() ? "" : ", ") + std::string(name) + ".yaml";
    return list;
}

// A misspelt file name would silently mean defaults, so any YAML file under
// services/ must be one of the known ones.
void refuse_unknown_service_files(const fs::path& services_dir) {
    std::error_code ec;
    if (!fs::is_directory(services_dir, ec)) return;
    for (const auto& entry : fs::directory_iterator(services_dir)) {
        const fs::path& p = entry.path();
        if (p.extension() != ".yaml" && p.extension() != ".yml") continue;
        bool known = false;
        for (auto name : kServiceNames) known = known || p.filename() == std::string(name) + ".yaml";
        if (!known) {
            throw ConfigError(p.string(), "", "unknown service configuration file; expected one of: " +
                                                  known_service_files());
        }
    }
}

template <typename Parse>
auto load_service(const fs::path& dir, std::string_view name, Parse parse) {
    const fs::path path = dir / "services" / (std::string(name) + ".yaml");
    return parse(read_if_present(path).value_or(std::string{}), path.string());
}

}  // namespace

Config load_config(const fs::path& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        throw ConfigError(dir.string(), "", "configuration directory does not exist");
    }
    Config config;
    config.dir = fs::absolute(dir).lexically_normal();
    if (config.dir.has_filename() == false) config.dir = config.dir.parent_path();  // drop a trailing '/'

    const fs::path brotr_file = config.dir / "brotr.yaml";
    config.brotr = parse_brotr_config(read_if_present(brotr_file).value_or(std::string{}), brotr_file.string(),
                                      config.dir);

    refuse_unknown_service_files(config.dir / "services");
    auto& s = config.services;
    s.initializer = load_service(config.dir, "initializer", [&](const std::string& text, const std::string& file) {
        return parse_initializer_config(text, file, config.dir);
    });
    s.finder = load_service(config.dir, "finder", parse_finder_config);
    s.monitor = load_service(config.dir, "monitor", parse_monitor_config);
    s.synchronizer = load_service(config.dir, "synchronizer", parse_synchronizer_config);
    s.api = load_service(config.dir, "api", parse_api_config);
    s.dvm = load_service(config.dir, "dvm", parse_dvm_config);
    return config;
}

}  // namespace brotr
