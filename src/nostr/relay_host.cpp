#include "nostr/relay_host.hpp"

#include <arpa/inet.h>

#include <array>
#include <cstring>

namespace brotr::detail {
namespace {

bool fail(std::string* why, std::string_view reason) {
    if (why != nullptr) *why = std::string(reason);
    return false;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool all_digits(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s) {
        if (!is_digit(c)) return false;
    }
    return true;
}

// Letters, digits, '-' and '_'. Underscores are not valid in host names by
// RFC 1123 but do occur in real DNS records, and they are harmless here.
bool is_label_char(char c) {
    return (c >= 'a' && c <= 'z') || is_digit(c) || c == '-' || c == '_';
}

char to_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool normalize_ipv6(std::string_view inside, NormalizedHost& out, std::string* why) {
    // Zone identifiers ("%eth0") are local to one machine: never valid here,
    // and inet_pton rejects them.
    std::array<char, INET6_ADDRSTRLEN + 1> text{};
    if (inside.empty() || inside.size() >= text.size()) return fail(why, "invalid IPv6 address");
    std::memcpy(text.data(), inside.data(), inside.size());
    in6_addr addr{};
    if (inet_pton(AF_INET6, text.data(), &addr) != 1) return fail(why, "invalid IPv6 address");
    std::array<char, INET6_ADDRSTRLEN> canonical{};
    if (inet_ntop(AF_INET6, &addr, canonical.data(), canonical.size()) == nullptr) {
        return fail(why, "invalid IPv6 address");
    }
    out.name = canonical.data();
    out.kind = HostKind::ipv6;
    return true;
}

// Strict dotted quad only. Shorthand, octal and hex forms ("127.1",
// "0177.0.0.1", "0x7f.0.0.1", "2130706433") are refused: resolvers disagree on
// them, and they are a classic way to smuggle loopback past URL filters.
bool normalize_ipv4(std::string_view host, NormalizedHost& out, std::string* why) {
    int parts = 0;
    std::size_t start = 0;
    while (true) {
        std::size_t dot = host.find('.', start);
        std::string_view part = host.substr(start, dot == std::string_view::npos ? dot : dot - start);
        if (!all_digits(part) || part.size() > 3 || (part.size() > 1 && part[0] == '0')) {
            return fail(why, "invalid IPv4 address");
        }
        int value = 0;
        for (char c : part) value = value * 10 + (c - '0');
        if (value > 255) return fail(why, "invalid IPv4 address");
        ++parts;
        if (dot == std::string_view::npos) break;
        start = dot + 1;
    }
    if (parts != 4) return fail(why, "invalid IPv4 address");
    out.name = std::string(host);
    out.kind = HostKind::ipv4;
    return true;
}

}  // namespace

bool normalize_host(std::string_view raw, NormalizedHost& out, std::string* why) {
    if (raw.empty()) return fail(why, "empty host");
    if (raw.front() == '[') {
        if (raw.size() < 2 || raw.back() != ']') return fail(why, "unterminated IPv6 literal");
        return normalize_ipv6(raw.substr(1, raw.size() - 2), out, why);
    }

    std::string host;
    host.reserve(raw.size());
    for (char c : raw) {
        if (static_cast<unsigned char>(c) >= 0x80) {
            // Internationalized names are accepted in their ASCII (punycode,
            // "xn--") form only: IDNA mapping needs Unicode tables this project
            // does not carry, and refusing raw Unicode also keeps look-alike
            // host names out of the registry.
            return fail(why, "non-ASCII host (internationalized names must be given as xn-- punycode)");
        }
        host.push_back(to_lower(c));
    }
    // "relay.example.com." names the same host as "relay.example.com".
    if (host.back() == '.') host.pop_back();
    if (host.empty()) return fail(why, "empty host");
    if (host.size() > kMaxHostLength) return fail(why, "host longer than 253 characters");

    std::size_t start = 0;
    std::string_view last_label;
    while (true) {
        std::size_t dot = host.find('.', start);
        std::string_view label =
            std::string_view(host).substr(start, dot == std::string::npos ? dot : dot - start);
        if (label.empty()) return fail(why, "empty label in host");
        if (label.size() > kMaxLabelLength) return fail(why, "host label longer than 63 characters");
        for (char c : label) {
            if (!is_label_char(c)) {
                return fail(why, std::string("invalid character '") + c + "' in host");
            }
        }
        last_label = label;
        if (dot == std::string::npos) break;
        start = dot + 1;
    }
    // No top-level domain is all digits, so such a host can only mean an
    // IPv4 address, and then it must be a well-formed one.
    if (all_digits(last_label)) return normalize_ipv4(host, out, why);

    out.name = std::move(host);
    out.kind = HostKind::dns_name;
    return true;
}

}  // namespace brotr::detail
