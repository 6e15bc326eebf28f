#include "net/http_client.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "net/http_url.hpp"
#include "net/tcp_connect.hpp"
#include "net/tls_handshake.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace brotr::net {

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
using Clock = std::chrono::steady_clock;


bool is_redirect(unsigned status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

struct Hop {
    unsigned status = 0;
    std::string content_type;
    std::string location;
    std::string body;
};

[[noreturn]] void throw_http_error(const boost::system::error_code& ec, Step step) {
    if (ec == http::error::body_limit) throw NetError(Failure::too_large, step, "body over the limit");
    if (ec == http::error::header_limit) throw NetError(Failure::too_large, step, "headers over the limit");
    if (ec == http::error::end_of_stream) throw NetError(Failure::closed, step, "closed before a response");
    if (ec.category() == http::make_error_code(http::error::body_limit).category()) {  // any other HTTP parse error
        throw NetError(Failure::handshake, step, "not a valid HTTP response: " + ec.message());
    }
    throw_net_error(ec, step);
}

template <class Stream>
asio::awaitable<Hop> exchange(Stream& stream, const HttpUrl& url, const HttpOptions& options) {
    http::request<http::empty_body> req{http::verb::get, url.target, 11};
    req.set(http::field::host, url.authority());
    req.set(http::field::user_agent, options.connect.user_agent);
    req.set(http::field::accept, options.accept);
    req.set(http::field::connection, "close");

    // One deadline for the whole exchange: a peer that trickles bytes
    // cannot stretch it.
    beast::get_lowest_layer(stream).expires_after(options.request_timeout);
    if (auto [ec, n] = co_await http::async_write(stream, req, kTuple); ec) throw_http_error(ec, Step::write);

    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(options.max_body_bytes);
    parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
    if (auto [ec, n] = co_await http::async_read(stream, buffer, parser, kTuple); ec) {
        throw_http_error(ec, Step::read);
    }
    beast::get_lowest_layer(stream).expires_never();
    auto& res = parser.get();
    Hop hop;
    hop.status = res.result_int();
    hop.content_type = std::string(res[http::field::content_type]);
    hop.location = std::string(res[http::field::location]);
    hop.body = std::move(res.body());
    co_return hop;
}

asio::awaitable<HttpResponse> get_here(std::string text, HttpOptions options) {
    const auto start = Clock::now();
    std::string why;
    auto url = parse_http_url(text, &why);
    if (!url) throw NetError(Failure::invalid_url, Step::resolve, why);

    HttpResponse response;
    for (int hop_number = 0;; ++hop_number) {
        ConnectTimings timings;
        auto tcp = co_await open_tcp(url->host, url->port, options.connect, timings);
        Hop hop;
        if (url->secure) {
            auto tls_start = Clock::now();
            TlsStream tls(std::move(tcp), tls_context(options.connect).native());
            co_await tls_handshake(tls, url->host, options.connect);
            timings.tls = since(tls_start);
            hop = co_await exchange(tls, *url, options);
        } else {
            hop = co_await exchange(tcp, *url, options);
        }
        if (is_redirect(hop.status) && !hop.location.empty()) {
            if (hop_number >= options.max_redirects) {
                throw NetError(Failure::too_many_redirects, Step::read,
                               "more than " + std::to_string(options.max_redirects) + " redirects");
            }
            auto next = resolve_location(*url, hop.location, &why);
            if (!next) throw NetError(Failure::invalid_url, Step::read, "redirect: " + why);
            url = std::move(next);
            ++response.redirects;
            continue;
        }
        response.status = hop.status;
        response.content_type = std::move(hop.content_type);
        response.body = std::move(hop.body);
        response.url = url->str();
        response.timings = timings;
        break;
    }
    response.elapsed = since(start);
    co_return response;
}

}  // namespace

asio::awaitable<HttpResponse> http_get(asio::any_io_executor executor, std::string url, HttpOptions options) {
    // Beast's timed streams need their operations on one strand.
    co_return co_await asio::co_spawn(asio::make_strand(executor), get_here(std::move(url), std::move(options)),
                                      asio::use_awaitable);
}

}  // namespace brotr::net
