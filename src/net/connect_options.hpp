// How to reach a peer: timeouts per step, the SSRF rule, the SOCKS5 proxy
// for Tor, TLS trust. Shared by the WebSocket and HTTP clients.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "brotr/address_policy.hpp"
#include "net/tls_context.hpp"

namespace brotr::net {

struct Socks5Proxy {
    std::string host = "127.0.0.1";  // from the user's config: not subject to the SSRF rule
    std::uint16_t port = 9050;
};

enum class ProxyUse : std::uint8_t {
    onion_only,  // .onion hosts through the proxy, everything else direct
    all_hosts,   // every connection through the proxy
};

struct ConnectOptions {
    std::chrono::milliseconds resolve_timeout{10'000};
    std::chrono::milliseconds connect_timeout{10'000};    // TCP connect, and SOCKS5 negotiation
    std::chrono::milliseconds handshake_timeout{10'000};  // TLS, then the WebSocket upgrade

    // SSRF rule (docs/architecture.md): after DNS resolution, addresses the policy
    // refuses (by default everything but global unicast) are never connected
    // to. Nullopt only for URLs from the user's own config, which may point
    // anywhere; tests allow loopback through the policy.
    std::optional<AddressPolicy> address_policy = AddressPolicy{};

    // Without a proxy, .onion hosts fail with Failure::tor_disabled.
    std::optional<Socks5Proxy> socks5{};
    ProxyUse proxy_use = ProxyUse::onion_only;

    // Null: TlsContext::system_default().
    std::shared_ptr<TlsContext> tls{};

    std::string user_agent = "brotr";

    // All three step timeouts at once (the services configure one per network).
    void set_timeouts(std::chrono::milliseconds t) { resolve_timeout = connect_timeout = handshake_timeout = t; }
};

}  // namespace brotr::net
