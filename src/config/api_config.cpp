// services/api.yaml: the read-only HTTP API.
#include "brotr/config.hpp"
#include "config/key_tables.hpp"

namespace brotr {

using namespace config_detail;

namespace {

using C = ApiConfig;

FileKeys<C> make_table() {
    FileKeys<C> t{"services/api.yaml", "The read-only HTTP API over the archive (not built yet: enabled must stay false).",
                  {}};
    auto& k = t.keys;
    k.push_back(boolean<C>("enabled", BROTR_FIELD(enabled),
                           "Whether `brotr run` starts the API. The API service is not part of this release, so "
                           "true is refused rather than silently ignored."));
    k.push_back(text<C>("host", BROTR_FIELD(host), "string", "a host name or IP address",
                        "Address to listen on; put a reverse proxy in front for public use.", read_host));
    k.push_back(integer<C>("port", BROTR_FIELD(port), 1, 65535, "", "TCP port to listen on."));
    k.push_back(integer<C>("default_limit", BROTR_FIELD(default_limit), 1, 10000, "rows",
                           "Rows in a response when the query gives no limit; at most max_limit (a default above a "
                           "lowered max_limit follows it down)."));
    k.push_back(integer<C>("max_limit", BROTR_FIELD(max_limit), 1, 10000, "rows", "The most rows one response holds."));
    k.push_back(number<C>("request_timeout", BROTR_FIELD(request_timeout), 1, 300, "s",
                          "Time one request may take, reading included."));
    k.push_back(integer<C>("max_connections", BROTR_FIELD(max_connections), 1, 10000, "",
                           "Connections served at once; more wait to be accepted."));
    t.check = [](C& c, const FoundKeys& found, const std::string&) {
        if (c.enabled) {
            found.find("enabled")->fail("the api service is not available in this release; set enabled: false");
        }
        if (c.default_limit > c.max_limit) {
            if (const Value* v = found.find("default_limit")) {
                v->fail(fmt::format("value {} is out of range; allowed 1 to {} (max_limit)", c.default_limit,
                                    c.max_limit));
            }
            c.default_limit = c.max_limit;  // the default follows a lowered max_limit
        }
    };
    return t;
}

}  // namespace

const FileKeys<ApiConfig>& config_detail::api_keys() {
    static const FileKeys<ApiConfig> table = make_table();
    return table;
}

ApiConfig parse_api_config(std::string_view yaml, const std::string& file) {
    ApiConfig config;
    read_keys(api_keys(), yaml, file, config);
    return config;
}

}  // namespace brotr
