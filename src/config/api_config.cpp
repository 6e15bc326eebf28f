// services/api.yaml: the read-only HTTP API.
#include "brotr/config.hpp"
#include "config/common_readers.hpp"

namespace brotr {

using namespace config_detail;

ApiConfig parse_api_config(std::string_view yaml, const std::string& file) {
    ApiConfig config;
    MapValue root = parse_document(yaml, &file);
    root.read("enabled", config.enabled);
    if (auto v = root.get("host")) config.host = as_host(*v);
    root.read_integer("port", config.port, 1, 65535);
    root.read_integer("max_limit", config.max_limit, 1, 10000);
    if (auto v = root.get("default_limit")) {
        config.default_limit = static_cast<std::uint32_t>(v->as_integer(1, config.max_limit));
    } else if (config.default_limit > config.max_limit) {
        config.default_limit = config.max_limit;  // the default follows a lowered max_limit
    }
    root.read("request_timeout", config.request_timeout, 1, 300);
    root.read_integer("max_connections", config.max_connections, 1, 10000);
    root.finish();
    return config;
}

}  // namespace brotr
