#include "net/tls_handshake.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>

#include "net/net_error.hpp"
#include "net/tcp_connect.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;

namespace brotr::net {

TlsContext& tls_context(const ConnectOptions& options) {
    return options.tls ? *options.tls : *TlsContext::system_default();
}

asio::awaitable<void> tls_handshake(TlsStream& stream, std::string_view host_view, const ConnectOptions& options) {
    const std::string host(host_view);
    SSL* ssl = stream.native_handle();
    boost::system::error_code ec;
    asio::ip::make_address(host, ec);
    const bool is_ip = !ec;
    if (!is_ip) {
        // SNI carries names only (RFC 6066), never IP literals.
        if (SSL_set_tlsext_host_name(ssl, host.c_str()) != 1) {
            throw NetError(Failure::tls, Step::tls, "cannot set server name");
        }
    }
    if (tls_context(options).verify_peer()) {
        X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
        X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        int set = is_ip ? X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str())
                        : X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size());
        if (set != 1) throw NetError(Failure::tls, Step::tls, "cannot set the expected host name");
        SSL_set_verify(ssl, SSL_VERIFY_PEER, nullptr);
    }

    beast::get_lowest_layer(stream).expires_after(options.handshake_timeout);
    auto [hec] = co_await stream.async_handshake(asio::ssl::stream_base::client, asio::as_tuple(asio::use_awaitable));
    beast::get_lowest_layer(stream).expires_never();
    if (hec) {
        if (hec == beast::error::timeout) throw NetError(Failure::timeout, Step::tls, host);
        long verify = SSL_get_verify_result(ssl);
        if (verify != X509_V_OK) {
            throw NetError(Failure::tls, Step::tls, host + ": certificate rejected (" +
                                                        X509_verify_cert_error_string(verify) + ")");
        }
        throw NetError(Failure::tls, Step::tls, host + ": " + hec.message());
    }
}

}  // namespace brotr::net
