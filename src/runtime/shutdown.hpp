// Cooperative shutdown: SIGINT/SIGTERM set it; services stop taking new work,
// sleeping waits end early, and in-flight work gets a bounded grace period.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

namespace brotr::runtime {

class Shutdown {
public:
    bool requested() const { return requested_.load(std::memory_order_acquire); }

    // Idempotent. Runs every registered callback once (on the caller's thread).
    void request();

    // Registers a callback run by request() (immediately if already requested,
    // then returns 0). Used to cancel timers and close sockets of in-flight
    // work; forget() the id once that work is over so callbacks don't pile up.
    std::uint64_t on_request(std::function<void()> callback);
    void forget(std::uint64_t id);

    // Sleeps for `duration` or until shutdown is requested, whichever is first.
    // Returns true when the full duration elapsed.
    boost::asio::awaitable<bool> sleep(std::chrono::steady_clock::duration duration);

private:
    std::atomic<bool> requested_{false};
    std::mutex mutex_;
    std::uint64_t next_id_ = 1;
    std::map<std::uint64_t, std::function<void()>> callbacks_;
};

}  // namespace brotr::runtime
