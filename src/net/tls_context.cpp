#include "net/tls_context.hpp"

#include <boost/asio/ssl/context.hpp>
#include <mutex>
#include <stdexcept>

namespace ssl = boost::asio::ssl;

namespace brotr::net {

TlsContext::TlsContext(const TlsConfig& config)
    : context_(std::make_unique<ssl::context>(ssl::context::tls_client)), verify_peer_(config.verify_peer) {
    context_->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                          ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    boost::system::error_code ec;
    if (config.ca_file.empty()) {
        context_->set_default_verify_paths(ec);
    } else {
        context_->load_verify_file(config.ca_file, ec);
    }
    if (ec) {
        throw std::runtime_error("cannot load trusted CA certificates" +
                                 (config.ca_file.empty() ? std::string() : " from " + config.ca_file) + ": " +
                                 ec.message());
    }
    context_->set_verify_mode(verify_peer_ ? ssl::verify_peer : ssl::verify_none);
}

TlsContext::~TlsContext() = default;

std::shared_ptr<TlsContext> TlsContext::system_default() {
    static std::once_flag once;
    static std::shared_ptr<TlsContext> instance;
    std::call_once(once, [] { instance = std::make_shared<TlsContext>(); });
    return instance;
}

ssl::context& TlsContext::native() const { return *context_; }

}  // namespace brotr::net
