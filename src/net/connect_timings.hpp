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

// Microseconds from `start` until now on the steady clock: each step above,
// and the round-trip times of relay sessions.
inline std::chrono::microseconds since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
}

}  // namespace brotr::net
