#include "services/nip11_fetch.hpp"

#include <algorithm>

#include "net/http_client.hpp"
#include "net/http_url.hpp"
#include "net/net_error.hpp"

namespace brotr::services {

namespace {

using Clock = std::chrono::steady_clock;

bool refused_before_traffic(net::Failure f) {
    return f == net::Failure::address_refused || f == net::Failure::tor_disabled || f == net::Failure::invalid_url;
}

}  // namespace

boost::asio::awaitable<Nip11FetchResult> fetch_nip11(boost::asio::any_io_executor executor, const RelayUrl& relay,
                                                     Nip11FetchOptions options) {
    Nip11FetchResult result;
    bool all_refused = true;
    for (bool secure : {true, false}) {
        const std::string scheme = secure ? "https" : "http";
        auto append_error = [&](const std::string& why) {
            if (!result.error.empty()) result.error += "; ";
            result.error += scheme + ": " + why;
        };
        const auto now = Clock::now();
        if (now >= options.deadline) {
            append_error("no time left");
            all_refused = false;
            break;
        }
        const auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(options.deadline - now);
        const auto step = std::max(std::chrono::milliseconds(1), std::min(options.timeout, remaining));

        net::HttpOptions http;
        http.connect = options.connect;
        http.connect.set_timeouts(step);
        http.request_timeout = step;
        http.max_body_bytes = options.max_body_bytes;
        http.max_redirects = options.max_redirects;
        http.accept = "application/nostr+json";
        try {
            net::HttpResponse response = co_await net::http_get(executor, net::nip11_url(relay, secure).str(), http);
            all_refused = false;
            if (response.status != 200) {
                append_error("status " + std::to_string(response.status));
                continue;
            }
            Nip11ParseResult parsed = parse_nip11_document(response.body);
            if (!parsed.document) {
                append_error(parsed.error);
                continue;
            }
            result.document = std::move(parsed.document);
            result.secure = secure;
            result.error.clear();
            co_return result;
        } catch (const net::NetError& e) {
            if (!refused_before_traffic(e.failure())) all_refused = false;
            append_error(e.what());
        }
    }
    result.refused_locally = all_refused;
    co_return result;
}

}  // namespace brotr::services
