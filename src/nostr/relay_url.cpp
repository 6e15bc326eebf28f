// Relay URL grammar (docs/services.md "Relay URLs"): ws:// or wss://, an optional
// port, then path and query kept as given apart from percent-encoding
// normalization. Host rules live in relay_host.cpp.
#include "brotr/relay_url.hpp"

#include <charconv>

#include "nostr/relay_host.hpp"

namespace brotr {

std::string_view to_string(Network n) { return n == Network::tor ? "tor" : "clearnet"; }

std::optional<Network> network_from_string(std::string_view s) {
    if (s == "clearnet") return Network::clearnet;
    if (s == "tor") return Network::tor;
    return std::nullopt;
}

namespace {

std::optional<RelayUrl> fail(std::string* why, std::string reason) {
    if (why != nullptr) *why = std::move(reason);
    return std::nullopt;
}

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// RFC 3986: ALPHA / DIGIT / "-" / "." / "_" / "~"
bool is_unreserved(char c) {
    return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

// pchar plus "/" (path), and "?" as well in a query.
bool is_allowed_in(char c, bool query) {
    if (is_unreserved(c)) return true;
    switch (c) {
        case '!': case '$': case '&': case '\'': case '(': case ')': case '*':
        case '+': case ',': case ';': case '=': case ':': case '@': case '/':
            return true;
        case '?':
            return query;
        default:
            return false;
    }
}

// A scheme is ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ); anything else before
// "://" (say "relay.example.com/?u=http://x") belongs to a bare host URL.
bool looks_like_scheme(std::string_view s) {
    if (s.empty() || !is_alpha(s.front())) return false;
    for (char c : s) {
        if (!is_alpha(c) && !is_digit(c) && c != '+' && c != '-' && c != '.') return false;
    }
    return true;
}

void append_escape(std::string& out, unsigned char byte) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    out.push_back('%');
    out.push_back(kHex[byte >> 4]);
    out.push_back(kHex[byte & 0x0F]);
}

// Percent-encoding normalization (RFC 3986 6.2.2): escapes of unreserved
// characters are decoded, other escapes get upper-case hex digits, and bytes
// not allowed in the component (non-ASCII included, and a '%' that starts no
// escape) are encoded. The result only contains allowed characters and
// canonical escapes, so applying it again changes nothing.
std::string normalize_component(std::string_view in, bool query) {
    std::string out;
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        char c = in[i];
        if (c == '%' && i + 2 < in.size() && hex_value(in[i + 1]) >= 0 && hex_value(in[i + 2]) >= 0) {
            auto byte = static_cast<unsigned char>(hex_value(in[i + 1]) * 16 + hex_value(in[i + 2]));
            if (is_unreserved(static_cast<char>(byte))) {
                out.push_back(static_cast<char>(byte));
            } else {
                append_escape(out, byte);
            }
            i += 2;
        } else if (is_allowed_in(c, query)) {
            out.push_back(c);
        } else {
            append_escape(out, static_cast<unsigned char>(c));
        }
    }
    return out;
}

}  // namespace

std::optional<RelayUrl> RelayUrl::parse(std::string_view text, std::string* why) {
    if (text.empty()) return fail(why, "empty URL");
    if (text.size() > kMaxLength) return fail(why, "URL longer than 2048 characters");
    for (char c : text) {
        auto byte = static_cast<unsigned char>(c);
        if (byte <= 0x20 || byte == 0x7F) return fail(why, "whitespace or control character in URL");
    }

    RelayUrl url;
    std::string_view rest = text;
    if (std::size_t sep = text.find("://");
        sep != std::string_view::npos && looks_like_scheme(text.substr(0, sep))) {
        std::string scheme;
        for (char c : text.substr(0, sep)) scheme.push_back(is_alpha(c) ? static_cast<char>(c | 0x20) : c);
        if (scheme == "wss") {
            url.secure_ = true;
        } else if (scheme == "ws") {
            url.secure_ = false;
        } else {
            if (scheme.size() > 16) scheme = scheme.substr(0, 16) + "...";
            return fail(why, "unsupported scheme '" + scheme + "' (only ws:// and wss://)");
        }
        rest = text.substr(sep + 3);
    }  // else a bare host such as "relay.damus.io", which means wss://

    if (std::size_t hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
    std::size_t authority_end = rest.find_first_of("/?");
    std::string_view authority = rest.substr(0, authority_end);
    std::string_view tail = authority_end == std::string_view::npos ? std::string_view{} : rest.substr(authority_end);

    if (authority.find('@') != std::string_view::npos) return fail(why, "user information (user@host) is not allowed");

    std::string_view host_part = authority;
    std::string_view port_part;
    bool has_port = false;
    if (!authority.empty() && authority.front() == '[') {
        std::size_t close = authority.find(']');
        if (close == std::string_view::npos) return fail(why, "unterminated IPv6 literal");
        host_part = authority.substr(0, close + 1);
        std::string_view after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') return fail(why, "unexpected characters after IPv6 literal");
            has_port = true;
            port_part = after.substr(1);
        }
    } else if (std::size_t colon = authority.find(':'); colon != std::string_view::npos) {
        if (authority.find(':', colon + 1) != std::string_view::npos) {
            return fail(why, "IPv6 address must be enclosed in brackets");
        }
        host_part = authority.substr(0, colon);
        port_part = authority.substr(colon + 1);
        has_port = true;
    }

    detail::NormalizedHost host;
    if (!detail::normalize_host(host_part, host, why)) return std::nullopt;

    const std::uint16_t default_port = url.secure_ ? 443 : 80;
    url.port_ = default_port;
    if (has_port) {
        if (port_part.empty()) return fail(why, "empty port");
        unsigned value = 0;
        auto [end, ec] = std::from_chars(port_part.data(), port_part.data() + port_part.size(), value);
        if (ec != std::errc{} || end != port_part.data() + port_part.size() || !is_digit(port_part.front())) {
            return fail(why, "invalid port (digits 1-65535 expected)");
        }
        if (value == 0 || value > 65535) return fail(why, "port out of range (1-65535)");
        url.port_ = static_cast<std::uint16_t>(value);
    }

    std::size_t question = tail.find('?');
    std::string path = normalize_component(tail.substr(0, question), false);
    std::string query =
        question == std::string_view::npos ? std::string{} : normalize_component(tail.substr(question + 1), true);
    url.target_ = path.empty() ? "/" : std::move(path);
    if (!query.empty()) url.target_ += "?" + query;  // a lone "?" carries nothing

    url.network_ = (host.kind == detail::HostKind::dns_name && host.name.ends_with(".onion")) ? Network::tor
                                                                                              : Network::clearnet;
    url.normalized_ = url.secure_ ? "wss://" : "ws://";
    if (host.kind == detail::HostKind::ipv6) {
        url.normalized_ += "[" + host.name + "]";
    } else {
        url.normalized_ += host.name;
    }
    if (url.port_ != default_port) url.normalized_ += ":" + std::to_string(url.port_);
    if (url.target_ != "/") url.normalized_ += url.target_;
    url.host_ = std::move(host.name);

    // Percent-encoding can lengthen the input; an over-long result would not
    // parse again, so it is refused here to keep normalization idempotent.
    if (url.normalized_.size() > kMaxLength) return fail(why, "URL longer than 2048 characters");
    return url;
}

}  // namespace brotr
