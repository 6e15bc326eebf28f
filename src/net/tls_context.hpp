// The TLS client configuration shared by every connection of a process:
// trusted CAs loaded once (loading the system store per connection would cost
// milliseconds each), certificate and host name verification on by default.
#pragma once

#include <memory>
#include <string>

namespace boost::asio::ssl {
class context;
}

namespace brotr::net {

struct TlsConfig {
    // PEM file of CA certificates to trust instead of the system store (tests
    // use a CA generated at test time). Empty: the system store.
    std::string ca_file{};
    // Turning this off accepts any certificate; never do so for real relays.
    bool verify_peer = true;
};

class TlsContext {
public:
    // Throws std::runtime_error when the CA file cannot be loaded.
    explicit TlsContext(const TlsConfig& config = {});
    ~TlsContext();
    TlsContext(const TlsContext&) = delete;
    TlsContext& operator=(const TlsContext&) = delete;

    bool verify_peer() const { return verify_peer_; }
    // The process-wide default (system CAs, verification on), built on first use.
    static std::shared_ptr<TlsContext> system_default();

    // For the connection code; an OpenSSL SSL_CTX is safe to share between
    // threads once configured.
    boost::asio::ssl::context& native() const;

private:
    std::unique_ptr<boost::asio::ssl::context> context_;
    bool verify_peer_ = true;
};

}  // namespace brotr::net
