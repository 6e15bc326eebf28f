#include "services/finder_url_policy.hpp"

namespace brotr::services {

namespace {

bool ends_with_label(std::string_view host, std::string_view label) {
    return host == label || (host.size() > label.size() && host.ends_with(label) &&
                             host[host.size() - label.size() - 1] == '.');
}

}  // namespace

ScreenedUrl screen_discovered_url(std::string_view text, const AddressPolicy& policy) {
    ScreenedUrl out;
    std::string why;
    auto url = RelayUrl::parse(text, &why);
    if (!url) {
        out.why = why.empty() ? "not a relay URL" : why;
        return out;
    }
    if (auto address = IpAddress::parse(url->host())) {
        if (auto refused = refusal(*address, policy)) {
            out.verdict = UrlVerdict::refused_address;
            out.why = std::string(to_string(*refused)) + " address " + url->host();
            return out;
        }
    } else if (ends_with_label(url->host(), "localhost") && !policy.allow_loopback) {
        out.verdict = UrlVerdict::refused_address;
        out.why = "loopback name " + url->host();
        return out;
    } else if (ends_with_label(url->host(), "local") && !policy.allow_private) {
        out.verdict = UrlVerdict::refused_address;
        out.why = "link-local name " + url->host();
        return out;
    }
    out.verdict = UrlVerdict::accepted;
    out.url = std::move(url);
    return out;
}

}  // namespace brotr::services
