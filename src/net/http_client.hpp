// HTTP(S) GET for NIP-11 documents and finder API lists. Redirects are
// followed up to a bound, and each hop goes through the same connection
// rules (SSRF rule after resolution, SOCKS5 for .onion, TLS verification).
// The body has a size limit; every step has a timeout.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string>
#include <string_view>

#include "net/connect_options.hpp"
#include "net/connect_timings.hpp"
#include "net/net_error.hpp"

namespace brotr::net {

struct HttpOptions {
    ConnectOptions connect{};
    // Sending the request and reading the whole response, per hop.
    std::chrono::milliseconds request_timeout{30'000};
    std::size_t max_body_bytes = 1024 * 1024;
    std::size_t max_header_bytes = 16 * 1024;
    int max_redirects = 5;
    std::string accept = "*/*";  // e.g. "application/nostr+json" for NIP-11
};

struct HttpResponse {
    unsigned status = 0;
    std::string content_type;
    std::string body;
    std::string url;  // the URL that answered, after redirects
    int redirects = 0;
    ConnectTimings timings{};  // of the last hop
    std::chrono::microseconds elapsed{0};
};

// Any status is returned (callers decide what a 404 means) except redirects
// (301, 302, 303, 307, 308 with a Location), which are followed. Throws
// NetError: invalid_url (also for a redirect to a non-HTTP URL),
// address_refused, tor_disabled, resolve, connect, proxy, tls, timeout,
// too_large (body or headers over the limit), too_many_redirects,
// handshake (a response that is not HTTP).
boost::asio::awaitable<HttpResponse> http_get(boost::asio::any_io_executor executor, std::string url,
                                              HttpOptions options);

}  // namespace brotr::net
