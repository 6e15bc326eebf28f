#include "services/finder_api.hpp"

#include "model/jsonb_text.hpp"
#include "net/http_client.hpp"
#include "net/net_error.hpp"
#include "services/canonical_json_walk.hpp"

namespace brotr::services {

ApiRelayList parse_api_relay_list(std::string_view body) {
    ApiRelayList list;
    std::string canonical;
    try {
        canonical = to_jsonb_text(body);
    } catch (const JsonbError& e) {
        list.error = std::string("not valid JSON: ") + e.what();
        return list;
    }
    auto items = json_walk::elements(canonical);
    if (!items) {
        list.error = "not a JSON array";
        return list;
    }
    list.urls.reserve(items->size());
    for (std::string_view item : *items) {
        if (auto text = json_walk::string_value(item)) list.urls.push_back(std::move(*text));
        else ++list.non_strings;
    }
    list.ok = true;
    return list;
}

boost::asio::awaitable<ApiRelayList> fetch_api_source(boost::asio::any_io_executor executor, std::string url,
                                                      ApiFetchOptions options) {
    net::HttpOptions http;
    http.connect = options.connect;
    http.connect.set_timeouts(options.timeout);
    http.request_timeout = options.timeout;
    http.max_body_bytes = options.max_body_bytes;
    http.max_redirects = options.max_redirects;
    http.accept = "application/json";
    ApiRelayList list;
    try {
        net::HttpResponse response = co_await net::http_get(executor, std::move(url), http);
        if (response.status != 200) {
            list.error = "HTTP status " + std::to_string(response.status);
        } else {
            list = parse_api_relay_list(response.body);
        }
    } catch (const net::NetError& e) {
        list.error = e.what();
    }
    co_return list;
}

}  // namespace brotr::services
