#include "brotr/address_policy.hpp"

#include <arpa/inet.h>

#include <cstring>

namespace brotr {
namespace {

using V4 = std::array<std::uint8_t, 4>;

// True when the first `bits` bits of `bytes` equal those of `prefix`.
template <std::size_t N>
bool in_prefix(const std::uint8_t* bytes, const std::array<std::uint8_t, N>& prefix, unsigned bits) {
    unsigned full = bits / 8;
    if (std::memcmp(bytes, prefix.data(), full) != 0) return false;
    unsigned rest = bits % 8;
    if (rest == 0) return true;
    auto mask = static_cast<std::uint8_t>(0xFF << (8 - rest));
    return (bytes[full] & mask) == (prefix[full] & mask);
}

bool in4(const V4& a, V4 prefix, unsigned bits) { return in_prefix(a.data(), prefix, bits); }

AddressClass classify_v4(const V4& a) {
    if (a == V4{0, 0, 0, 0}) return AddressClass::unspecified;
    if (a == V4{255, 255, 255, 255}) return AddressClass::broadcast;
    if (in4(a, {127, 0, 0, 0}, 8)) return AddressClass::loopback;
    if (in4(a, {10, 0, 0, 0}, 8) || in4(a, {172, 16, 0, 0}, 12) || in4(a, {192, 168, 0, 0}, 16)) {
        return AddressClass::private_use;
    }
    if (in4(a, {100, 64, 0, 0}, 10)) return AddressClass::shared;
    if (in4(a, {169, 254, 0, 0}, 16)) return AddressClass::link_local;
    if (in4(a, {224, 0, 0, 0}, 4)) return AddressClass::multicast;
    if (in4(a, {192, 0, 2, 0}, 24) || in4(a, {198, 51, 100, 0}, 24) || in4(a, {203, 0, 113, 0}, 24)) {
        return AddressClass::documentation;
    }
    if (in4(a, {0, 0, 0, 0}, 8) ||        // "this network"
        in4(a, {192, 0, 0, 0}, 24) ||     // IETF protocol assignments
        in4(a, {192, 88, 99, 0}, 24) ||   // deprecated 6to4 relay anycast
        in4(a, {198, 18, 0, 0}, 15) ||    // benchmarking
        in4(a, {240, 0, 0, 0}, 4)) {      // future use
        return AddressClass::reserved;
    }
    return AddressClass::global;
}

using V6 = std::array<std::uint8_t, 16>;

bool in6(const V6& a, V6 prefix, unsigned bits) { return in_prefix(a.data(), prefix, bits); }

V4 v4_at(const V6& a, std::size_t offset) { return {a[offset], a[offset + 1], a[offset + 2], a[offset + 3]}; }

AddressClass classify_v6(const V6& a) {
    if (a == V6{}) return AddressClass::unspecified;
    if (a == V6{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}) return AddressClass::loopback;
    // Forms carrying an IPv4 address: a connection may end up at that address.
    if (in6(a, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF}, 96)) return classify_v4(v4_at(a, 12));
    if (in6(a, {0x00, 0x64, 0xFF, 0x9B}, 96)) return classify_v4(v4_at(a, 12));
    if (in6(a, {0x20, 0x02}, 16)) return classify_v4(v4_at(a, 2));

    if (in6(a, {0x00, 0x64, 0xFF, 0x9B, 0x00, 0x01}, 48)) return AddressClass::private_use;
    if (in6(a, {0xFC}, 7)) return AddressClass::private_use;
    if (in6(a, {0xFE, 0xC0}, 10)) return AddressClass::private_use;  // deprecated site-local
    if (in6(a, {0xFE, 0x80}, 10)) return AddressClass::link_local;
    if (in6(a, {0xFF}, 8)) return AddressClass::multicast;
    if (in6(a, {0x20, 0x01, 0x0D, 0xB8}, 32) || in6(a, {0x3F, 0xFF}, 20)) return AddressClass::documentation;
    // IETF protocol assignments (Teredo, ORCHID, benchmarking ...): tunnels and
    // special purposes, not where a relay lives.
    if (in6(a, {0x20, 0x01}, 23)) return AddressClass::reserved;
    // Global unicast is 2000::/3; everything outside it is unallocated or
    // special (::/96 IPv4-compatible, 100::/64 discard, ...).
    if (!in6(a, {0x20}, 3)) return AddressClass::reserved;
    return AddressClass::global;
}

}  // namespace

IpAddress IpAddress::v4(const std::array<std::uint8_t, 4>& bytes) {
    IpAddress a;
    std::memcpy(a.bytes_.data(), bytes.data(), 4);
    a.is_v4_ = true;
    return a;
}

IpAddress IpAddress::v6(const std::array<std::uint8_t, 16>& bytes) {
    IpAddress a;
    a.bytes_ = bytes;
    a.is_v4_ = false;
    return a;
}

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
    std::array<char, INET6_ADDRSTRLEN + 1> buffer{};
    if (text.empty() || text.size() >= buffer.size()) return std::nullopt;
    std::memcpy(buffer.data(), text.data(), text.size());
    std::array<std::uint8_t, 4> v4bytes{};
    if (inet_pton(AF_INET, buffer.data(), v4bytes.data()) == 1) return v4(v4bytes);
    std::array<std::uint8_t, 16> v6bytes{};
    if (inet_pton(AF_INET6, buffer.data(), v6bytes.data()) == 1) return v6(v6bytes);
    return std::nullopt;
}

std::string IpAddress::to_string() const {
    std::array<char, INET6_ADDRSTRLEN> text{};
    inet_ntop(is_v4_ ? AF_INET : AF_INET6, bytes_.data(), text.data(), text.size());
    return text.data();
}

std::string_view to_string(AddressClass c) {
    switch (c) {
        case AddressClass::global: return "global";
        case AddressClass::loopback: return "loopback";
        case AddressClass::private_use: return "private";
        case AddressClass::shared: return "shared (carrier-grade NAT)";
        case AddressClass::link_local: return "link-local";
        case AddressClass::multicast: return "multicast";
        case AddressClass::unspecified: return "unspecified";
        case AddressClass::broadcast: return "broadcast";
        case AddressClass::documentation: return "documentation";
        case AddressClass::reserved: return "reserved";
    }
    return "reserved";
}

AddressClass classify(const IpAddress& address) {
    const auto& b = address.bytes();
    if (address.is_v4()) return classify_v4(v4_at(b, 0));
    return classify_v6(b);
}

std::optional<AddressClass> refusal(const IpAddress& address, const AddressPolicy& policy) {
    AddressClass c = classify(address);
    switch (c) {
        case AddressClass::global:
            return std::nullopt;
        case AddressClass::loopback:
            if (policy.allow_loopback) return std::nullopt;
            break;
        case AddressClass::private_use:
        case AddressClass::shared:
            if (policy.allow_private) return std::nullopt;
            break;
        default:
            break;
    }
    return c;
}

}  // namespace brotr
