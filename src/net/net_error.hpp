// Why a network operation failed, as a value callers can branch on (the
// monitor records which step failed; the synchronizer retries next cycle).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace brotr::net {

enum class Failure : std::uint8_t {
    invalid_url,         // not a URL this client can fetch
    address_refused,     // SSRF rule: only loopback/private/... addresses, not allowed
    tor_disabled,        // a .onion host and no SOCKS5 proxy configured
    resolve,             // DNS lookup failed
    connect,             // TCP connection refused or unreachable
    proxy,               // the SOCKS5 proxy refused or broke the protocol
    tls,                 // TLS handshake or certificate verification failed
    handshake,           // WebSocket upgrade refused, or a broken HTTP response
    timeout,             // a step took longer than its timeout
    closed,              // the peer closed the connection
    too_large,           // a message or body over its size limit
    too_many_redirects,  // HTTP redirects beyond the limit
    io,                  // any other I/O error
};
std::string_view to_string(Failure f);

// The step during which a failure happened (a timeout names its step).
enum class Step : std::uint8_t { resolve, connect, proxy, tls, handshake, read, write, close };
std::string_view to_string(Step s);

class NetError : public std::runtime_error {
public:
    NetError(Failure failure, Step step, const std::string& detail);
    Failure failure() const { return failure_; }
    Step step() const { return step_; }

private:
    Failure failure_;
    Step step_;
};

}  // namespace brotr::net
