// How long each step of opening a connection took (the monitor reports the
// WebSocket open time as NIP-66 rtt_open).
#pragma once

#include <chrono>

namespace brotr::net {

struct ConnectTimings {
    std::chrono::microseconds resolve{0};    // zero through a proxy (it resolves)
    std::chrono::microseconds connect{0};    // TCP, plus SOCKS5 negotiation through a proxy
    std::chrono::microseconds tls{0};        // zero for ws:// and http://
    std::chrono::microseconds handshake{0};  // WebSocket upgrade (zero for HTTP)
    std::chrono::microseconds total() const { return resolve + connect + tls + handshake; }
};

}  // namespace brotr::net
