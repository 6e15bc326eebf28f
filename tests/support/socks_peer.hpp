// A real SOCKS5 proxy for tests: Debian's microsocks on a loopback port.
// It resolves host names itself, as Tor does for .onion names.
#pragma once

#include <cstdint>
#include <memory>

#include "support/relay_peer.hpp"

namespace brotr::test {

class SocksPeer {
public:
    static bool available();  // /usr/bin/microsocks is installed

    SocksPeer();
    ~SocksPeer();
    SocksPeer(const SocksPeer&) = delete;
    SocksPeer& operator=(const SocksPeer&) = delete;

    std::uint16_t port() const { return port_; }
    void stop();

private:
    std::uint16_t port_ = 0;
    std::unique_ptr<ChildProcess> process_;
};

}  // namespace brotr::test
