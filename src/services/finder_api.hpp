// The finder's API sources: an HTTP(S) GET per source returning a JSON
// array of relay URL strings (the nostr.watch lists). The body is capped,
// the source's timeout bounds every step, and a malformed answer fails that
// source only.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "brotr/address_policy.hpp"
#include "net/connect_options.hpp"

namespace brotr::services {

struct ApiRelayList {
    bool ok = false;
    std::vector<std::string> urls;  // the string elements, raw
    std::size_t non_strings = 0;    // elements that are not strings (skipped)
    std::string error;              // why the body is not a list
};

// A JSON array; its string elements are the candidates.
ApiRelayList parse_api_relay_list(std::string_view body);

struct ApiFetchOptions {
    net::ConnectOptions connect{};  // carries the SSRF policy and TLS trust
    std::chrono::milliseconds timeout{30'000};
    std::size_t max_body_bytes = 8 * 1024 * 1024;
    int max_redirects = 3;
};

// Never throws for network or content failures: they end up in `error`.
boost::asio::awaitable<ApiRelayList> fetch_api_source(boost::asio::any_io_executor executor, std::string url,
                                                      ApiFetchOptions options);

}  // namespace brotr::services
