// The SSRF rule (docs/architecture.md): URLs found in events or fetched from APIs
// are attacker controlled, so after DNS resolution every address is checked
// here before connecting. Only globally routable unicast addresses pass by
// default; tests opt in to loopback, private networks opt in to private ranges.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace brotr {

// An IPv4 or IPv6 address as bytes (network order). Built from inet_pton
// text or from the bytes a resolver returns (e.g. asio's to_bytes()).
class IpAddress {
public:
    static IpAddress v4(const std::array<std::uint8_t, 4>& bytes);
    static IpAddress v6(const std::array<std::uint8_t, 16>& bytes);
    // Dotted quad or IPv6 text (no brackets, no zone id); nullopt otherwise.
    static std::optional<IpAddress> parse(std::string_view text);

    bool is_v4() const { return is_v4_; }
    // IPv4 addresses use the first 4 bytes; IPv6 all 16.
    const std::array<std::uint8_t, 16>& bytes() const { return bytes_; }
    std::string to_string() const;

    bool operator==(const IpAddress&) const = default;

private:
    std::array<std::uint8_t, 16> bytes_{};
    bool is_v4_ = true;
};

enum class AddressClass : std::uint8_t {
    global,         // publicly routable: allowed
    loopback,       // 127/8, ::1
    private_use,    // RFC 1918, fc00::/7, fec0::/10, NAT64 local-use 64:ff9b:1::/48
    shared,         // 100.64/10, carrier-grade NAT (RFC 6598)
    link_local,     // 169.254/16, fe80::/10
    multicast,      // 224/4, ff00::/8
    unspecified,    // 0.0.0.0, ::
    broadcast,      // 255.255.255.255
    documentation,  // 192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32, 3fff::/20
    reserved,       // everything else that is not global unicast (0/8, 240/4, 198.18/15, ...)
};

std::string_view to_string(AddressClass c);

// IPv6 forms that embed an IPv4 address (v4-mapped ::ffff:0:0/96, NAT64
// 64:ff9b::/96, 6to4 2002::/16) are classified by the embedded address, so
// ::ffff:127.0.0.1 is loopback.
AddressClass classify(const IpAddress& address);

struct AddressPolicy {
    bool allow_loopback = false;  // for tests against local relays
    bool allow_private = false;   // private_use and shared ranges, e.g. a LAN or a tailnet
};

// Nullopt when `address` may be connected to; else the refused class.
std::optional<AddressClass> refusal(const IpAddress& address, const AddressPolicy& policy);
inline bool is_allowed(const IpAddress& address, const AddressPolicy& policy) {
    return !refusal(address, policy).has_value();
}

}  // namespace brotr
