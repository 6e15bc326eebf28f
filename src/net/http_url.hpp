// http:// and https:// URLs for the HTTP client: parsing with the relay URL
// grammar (same normalization, same host rules), redirect targets, and the
// NIP-11 address of a relay.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "brotr/relay_url.hpp"

namespace brotr::net {

struct HttpUrl {
    bool secure = true;       // https
    std::string host;         // lower-case, IPv6 without brackets
    std::uint16_t port = 443;
    std::string target = "/";  // path and query
    std::string str() const;   // normalized text
    std::string authority() const;  // host[:port] as in a Host header
};

// Only http:// and https:// with a host; nullopt otherwise (`why` says why).
std::optional<HttpUrl> parse_http_url(std::string_view text, std::string* why = nullptr);

// The URL a Location header points to, relative to `base` (absolute,
// scheme-relative "//host/x", absolute-path "/x" or relative "x").
std::optional<HttpUrl> resolve_location(const HttpUrl& base, std::string_view location, std::string* why = nullptr);

// The NIP-11 document's address: the relay URL with https:// (or http://).
HttpUrl nip11_url(const RelayUrl& relay, bool secure);

}  // namespace brotr::net
