#include "net/socks5.hpp"

#include <boost/asio/ip/address.hpp>

namespace brotr::net::socks5 {

namespace {
constexpr std::uint8_t kVersion = 5;
constexpr std::uint8_t kNoAuth = 0;
constexpr std::uint8_t kConnect = 1;
constexpr std::uint8_t kAtypIpv4 = 1;
constexpr std::uint8_t kAtypDomain = 3;
constexpr std::uint8_t kAtypIpv6 = 4;
}  // namespace

std::vector<std::uint8_t> greeting() { return {kVersion, 1, kNoAuth}; }

std::string check_method_reply(std::span<const std::uint8_t> reply) {
    if (reply.size() != 2 || reply[0] != kVersion) return "not a SOCKS5 proxy";
    if (reply[1] == 0xFF) return "proxy accepts none of our authentication methods";
    if (reply[1] != kNoAuth) return "proxy chose an authentication method we did not offer";
    return {};
}

std::optional<std::vector<std::uint8_t>> connect_request(std::string_view host, std::uint16_t port) {
    std::vector<std::uint8_t> req = {kVersion, kConnect, 0};
    boost::system::error_code ec;
    auto address = boost::asio::ip::make_address(std::string(host), ec);
    if (!ec && address.is_v4()) {
        req.push_back(kAtypIpv4);
        for (auto b : address.to_v4().to_bytes()) req.push_back(b);
    } else if (!ec && address.is_v6()) {
        req.push_back(kAtypIpv6);
        for (auto b : address.to_v6().to_bytes()) req.push_back(b);
    } else {
        if (host.empty() || host.size() > 255) return std::nullopt;
        req.push_back(kAtypDomain);
        req.push_back(static_cast<std::uint8_t>(host.size()));
        req.insert(req.end(), host.begin(), host.end());
    }
    req.push_back(static_cast<std::uint8_t>(port >> 8));
    req.push_back(static_cast<std::uint8_t>(port & 0xFF));
    return req;
}

std::string_view reply_text(std::uint8_t rep) {
    switch (rep) {
        case 0: return "succeeded";
        case 1: return "general SOCKS server failure";
        case 2: return "connection not allowed by ruleset";
        case 3: return "network unreachable";
        case 4: return "host unreachable";
        case 5: return "connection refused";
        case 6: return "TTL expired";
        case 7: return "command not supported";
        case 8: return "address type not supported";
        default: return "unknown reply code";
    }
}

std::optional<std::size_t> connect_reply_remaining(std::span<const std::uint8_t> head, std::string& error) {
    if (head.size() != 5 || head[0] != kVersion) {
        error = "malformed SOCKS5 reply";
        return std::nullopt;
    }
    if (head[1] != 0) {
        error = "proxy: " + std::string(reply_text(head[1]));
        return std::nullopt;
    }
    constexpr std::size_t kPort = 2;
    switch (head[3]) {
        case kAtypIpv4: return 4 - 1 + kPort;
        case kAtypIpv6: return 16 - 1 + kPort;
        case kAtypDomain: return std::size_t{head[4]} + kPort;  // head[4] is the length byte
        default:
            error = "malformed SOCKS5 reply (address type)";
            return std::nullopt;
    }
}

}  // namespace brotr::net::socks5
