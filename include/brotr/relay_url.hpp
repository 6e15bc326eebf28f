// Relay URLs: parse, normalize, classify by network (docs/services.md "Relay URLs").
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace brotr {

enum class Network : std::uint8_t { clearnet = 0, tor = 1 };
std::string_view to_string(Network n);                 // "clearnet" / "tor"
std::optional<Network> network_from_string(std::string_view s);

class RelayUrl {
public:
    // Longer inputs, and inputs whose normalized form would be longer, are invalid.
    static constexpr std::size_t kMaxLength = 2048;

    // Accepts ws:// and wss:// URLs and bare hosts (which become wss://).
    // Returns nullopt for anything else; `why` (if given) receives a reason.
    // Refused: other schemes, user information, empty or invalid hosts,
    // ports outside 1-65535, whitespace and control characters, URLs over
    // kMaxLength, hosts over 253 characters or labels over 63, IPv4 other
    // than a strict dotted quad, IPv6 outside brackets or with a zone id.
    // Hosts with non-ASCII characters are refused rather than IDNA-encoded:
    // correct IDNA needs Unicode mapping tables this project does not carry,
    // internationalized relays are reachable by their xn-- form (accepted),
    // and refusing keeps look-alike names out of the registry.
    // Path and query are kept, with percent-encoding normalized (escapes of
    // unreserved characters decoded, hex upper-cased, disallowed bytes encoded).
    static std::optional<RelayUrl> parse(std::string_view text, std::string* why = nullptr);

    // Normalized form: lower-case scheme and host, no default port, no
    // trailing slash on an empty path, no fragment. parse(str()) == *this.
    const std::string& str() const { return normalized_; }
    bool secure() const { return secure_; }            // wss
    const std::string& host() const { return host_; }  // lower-case, no brackets for IPv6
    std::uint16_t port() const { return port_; }       // effective port (443/80 when default)
    const std::string& target() const { return target_; }  // path + query, at least "/"
    Network network() const { return network_; }

    bool operator==(const RelayUrl& o) const { return normalized_ == o.normalized_; }

private:
    std::string normalized_;
    std::string host_;
    std::string target_;
    std::uint16_t port_ = 0;
    bool secure_ = true;
    Network network_ = Network::clearnet;
};

}  // namespace brotr
