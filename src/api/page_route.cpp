// GET /: the web page (src/api/web/index.html, compiled in). Its
// Content-Security-Policy lets it run its own inline script and style, named
// by their SHA-256, and read this API; nothing else loads: no other origin,
// no other script, no frames, no form posts (docs/api.md, GET /).
#include <openssl/evp.h>

#include <array>

#include "api/route_handlers.hpp"
#include "api/web_page.hpp"

namespace brotr::api {

namespace {

// The text of the page's first element `tag` (between "<tag>" and "</tag>").
std::string_view element_text(std::string_view html, std::string_view tag) {
    const std::string open = "<" + std::string(tag) + ">";
    const std::string close = "</" + std::string(tag) + ">";
    const std::size_t start = html.find(open);
    if (start == std::string_view::npos) return {};
    const std::size_t from = start + open.size();
    const std::size_t end = html.find(close, from);
    return end == std::string_view::npos ? std::string_view{} : html.substr(from, end - from);
}

// A CSP source naming the exact text of an inline element: 'sha256-<base64>'.
std::string hash_source(std::string_view text) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    EVP_Digest(text.data(), text.size(), digest.data(), &size, EVP_sha256(), nullptr);
    std::array<unsigned char, 4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1> base64{};
    const int n = EVP_EncodeBlock(base64.data(), digest.data(), static_cast<int>(size));
    return "'sha256-" + std::string(reinterpret_cast<const char*>(base64.data()), static_cast<std::size_t>(n)) + "'";
}

const std::string& content_security_policy() {
    static const std::string policy = [] {
        const std::string_view html = web_page_html();
        return "default-src 'none'; script-src " + hash_source(element_text(html, "script")) + "; style-src " +
               hash_source(element_text(html, "style")) +
               "; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; "
               "frame-ancestors 'none'";
    }();
    return policy;
}

}  // namespace

HttpResponse page_response() {
    HttpResponse r;
    r.content_type = "text/html; charset=utf-8";
    r.body = std::string(web_page_html());
    r.headers = {{"Content-Security-Policy", content_security_policy()},
                 {"Cache-Control", "no-cache"},  // a new binary may serve a new page
                 {"X-Content-Type-Options", "nosniff"},
                 {"Referrer-Policy", "no-referrer"}};
    return r;
}

}  // namespace brotr::api
