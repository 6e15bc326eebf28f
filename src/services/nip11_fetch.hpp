// Fetching a relay's NIP-11 document: HTTP GET of the relay URL with
// https:// and then http://, `Accept: application/nostr+json`. The first 200
// answer whose body is a JSON object is kept. Bodies are size-capped,
// redirects bounded, and every attempt ends by the caller's deadline.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

#include "brotr/relay_url.hpp"
#include "net/connect_options.hpp"
#include "services/nip11_document.hpp"

namespace brotr::services {

struct Nip11FetchOptions {
    net::ConnectOptions connect{};  // SSRF policy, SOCKS5, TLS
    std::chrono::milliseconds timeout{30'000};  // each step of each attempt
    // No attempt starts after it, and none runs past it.
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
    std::size_t max_body_bytes = 1024 * 1024;
    int max_redirects = 3;
};

struct Nip11FetchResult {
    std::optional<Nip11Document> document;
    bool secure = false;  // answered over https
    // Why there is no document: one "<scheme>: <reason>" per failed attempt.
    std::string error;
    // True when an attempt was refused before any traffic (SSRF rule, Tor
    // disabled, invalid URL): nothing was measured.
    bool refused_locally = false;
};

boost::asio::awaitable<Nip11FetchResult> fetch_nip11(boost::asio::any_io_executor executor, const RelayUrl& relay,
                                                     Nip11FetchOptions options);

}  // namespace brotr::services
