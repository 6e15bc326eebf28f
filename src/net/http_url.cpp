#include "net/http_url.hpp"

namespace brotr::net {

namespace {

std::string lower_scheme(std::string_view text, std::size_t end) {
    std::string scheme(text.substr(0, end));
    for (char& c : scheme) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    return scheme;
}

HttpUrl from_relay_url(const RelayUrl& url) {
    return HttpUrl{.secure = url.secure(), .host = url.host(), .port = url.port(), .target = url.target()};
}

}  // namespace

std::string HttpUrl::authority() const {
    std::string out = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    if (port != (secure ? 443 : 80)) out += ":" + std::to_string(port);
    return out;
}

std::string HttpUrl::str() const { return (secure ? "https://" : "http://") + authority() + target; }

std::optional<HttpUrl> parse_http_url(std::string_view text, std::string* why) {
    std::size_t sep = text.find("://");
    if (sep == std::string_view::npos) {
        if (why) *why = "not an absolute http:// or https:// URL";
        return std::nullopt;
    }
    std::string scheme = lower_scheme(text, sep);
    std::string as_relay;
    if (scheme == "https") {
        as_relay = "wss";
    } else if (scheme == "http") {
        as_relay = "ws";
    } else {
        if (why) *why = "unsupported scheme (only http:// and https://)";
        return std::nullopt;
    }
    // Same grammar and normalization as relay URLs, only the scheme differs.
    as_relay += text.substr(sep);
    auto relay = RelayUrl::parse(as_relay, why);
    if (!relay) return std::nullopt;
    return from_relay_url(*relay);
}

std::optional<HttpUrl> resolve_location(const HttpUrl& base, std::string_view location, std::string* why) {
    if (location.empty()) {
        if (why) *why = "empty Location";
        return std::nullopt;
    }
    const std::string scheme = base.secure ? "https:" : "http:";
    if (location.starts_with("//")) return parse_http_url(scheme + std::string(location), why);
    if (location.front() == '/') return parse_http_url(scheme + "//" + base.authority() + std::string(location), why);
    std::size_t colon = location.find(':');
    std::size_t slash = location.find('/');
    if (colon != std::string_view::npos && (slash == std::string_view::npos || colon < slash)) {
        return parse_http_url(location, why);  // absolute, any scheme (refused unless http/https)
    }
    std::string dir = base.target.substr(0, base.target.find('?'));
    dir = dir.substr(0, dir.rfind('/') + 1);
    return parse_http_url(scheme + "//" + base.authority() + dir + std::string(location), why);
}

HttpUrl nip11_url(const RelayUrl& relay, bool secure) {
    HttpUrl url = from_relay_url(relay);
    if (url.secure != secure && url.port == (url.secure ? 443 : 80)) url.port = secure ? 443 : 80;
    url.secure = secure;
    return url;
}

}  // namespace brotr::net
