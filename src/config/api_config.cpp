// services/api.yaml: the read-only HTTP API.
#include "config/key_tables.hpp"

namespace brotr {

using namespace config_detail;

namespace {

using C = ApiConfig;

FileKeys<C> make_table() {
    FileKeys<C> t{"services/api.yaml", "The read-only HTTP API over the archive, with /health (docs/api.md).", {}};
    auto& k = t.keys;
    k.push_back(enabled_key<C>("the API"));
    k.push_back(text<C>("host", BROTR_FIELD(host), "string", "an IP address",
                        "Address to listen on. Any other than loopback requires the bearer token of token_env.",
                        read_ip_address));
    k.push_back(integer<C>("port", BROTR_FIELD(port), 1, 65535, "", "TCP port to listen on."));
    k.push_back(integer<C>("default_limit", BROTR_FIELD(default_limit), 1, 10000, "rows",
                           "Rows in a response when the query gives no limit; at most max_limit (a default above a "
                           "lowered max_limit follows it down)."));
    k.push_back(integer<C>("max_limit", BROTR_FIELD(max_limit), 1, 10000, "rows", "The most rows one response holds."));
    k.push_back(integer<C>("scan_budget", BROTR_FIELD(scan_budget), 100, 100000000, "entries",
                           "Index entries one /v1/events request may examine; past it the page ends early with a "
                           "`next` cursor, so no request runs an unbounded scan."));
    k.push_back(number<C>("request_timeout", BROTR_FIELD(request_timeout), 1, 300, "s",
                          "Time for a request to arrive whole from its first byte, and for its answer to be "
                          "written (slow clients are cut off)."));
    k.push_back(number<C>("idle_timeout", BROTR_FIELD(idle_timeout), 1, 3600, "s",
                          "A kept-alive connection that sends nothing this long is closed."));
    k.push_back(integer<C>("max_connections", BROTR_FIELD(max_connections), 1, 10000, "",
                           "Connections served at once; more wait in the accept backlog."));
    k.push_back(text<C>("token_env", BROTR_FIELD(token_env), "string", "an environment variable name",
                        "The environment variable holding the bearer token. When it is set, every request needs "
                        "`Authorization: Bearer <token>`; on a non-loopback host it must be set.",
                        read_env_name));
    k.push_back(number<C>("catch_up_interval", BROTR_FIELD(catch_up_interval), 0.1, 3600, "s",
                          "How often `brotr api` reads what the writing process stored since (it opens the store "
                          "as a secondary instance)."));
    t.check = [](C& c, const FoundKeys& found, const std::string&) {
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
