#include "support/socks_peer.hpp"

#include <filesystem>
#include <stdexcept>

using namespace std::chrono_literals;

namespace brotr::test {

namespace {
constexpr const char* kMicrosocks = "/usr/bin/microsocks";
}

bool SocksPeer::available() { return std::filesystem::exists(kMicrosocks); }

SocksPeer::SocksPeer() {
    // The port is picked before the proxy binds it; another process may take
    // it in between, so a few attempts.
    for (int attempt = 0; attempt < 5 && !process_; ++attempt) {
        std::uint16_t port = pick_free_port();
        auto process = std::make_unique<ChildProcess>(
            std::vector<std::string>{kMicrosocks, "-i", "127.0.0.1", "-p", std::to_string(port)});
        if (wait_for_port(port, 5s) && process->running()) {
            port_ = port;
            process_ = std::move(process);
        }
    }
    if (!process_) throw std::runtime_error("microsocks did not start");
}

SocksPeer::~SocksPeer() { stop(); }

void SocksPeer::stop() {
    if (process_) process_->stop();
    process_.reset();
}

}  // namespace brotr::test
