// The SOCKS5 client protocol (RFC 1928), no authentication, CONNECT only:
// the bytes to send and the parsing of the replies, apart from any I/O.
// Host names go to the proxy as names (address type 3), so the proxy
// resolves them: that is what makes .onion hosts reachable through Tor.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace brotr::net::socks5 {

// Greeting offering the "no authentication" method only.
std::vector<std::uint8_t> greeting();

// The proxy's method choice (2 bytes); empty string when acceptable, else why not.
std::string check_method_reply(std::span<const std::uint8_t> reply);

// CONNECT request: IPv4/IPv6 literals as addresses, anything else as a domain
// name (at most 255 bytes; nullopt when longer or empty).
std::optional<std::vector<std::uint8_t>> connect_request(std::string_view host, std::uint16_t port);

// The first 5 bytes of the CONNECT reply: VER REP RSV ATYP and one more
// byte (the domain length, or the address's first byte). Returns how many
// bytes of the reply follow those 5, or sets `error` (the proxy's refusal in
// words, or a protocol error) and returns nullopt.
std::optional<std::size_t> connect_reply_remaining(std::span<const std::uint8_t> head, std::string& error);

// Text for a reply code REP, e.g. 4 -> "host unreachable".
std::string_view reply_text(std::uint8_t rep);

}  // namespace brotr::net::socks5
