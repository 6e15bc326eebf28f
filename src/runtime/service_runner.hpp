// Runs a set of services in one process over one io_context with a thread
// per core: each service cycles on its interval until SIGINT/SIGTERM, or
// once each with `--once`.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "runtime/service.hpp"
#include "runtime/shutdown.hpp"

namespace brotr::runtime {

struct RunnerOptions {
    unsigned threads = std::max(1u, std::thread::hardware_concurrency());
    bool once = false;  // one cycle of each service, then return
    // After a stop request, in-flight work has this long to finish before it is abandoned.
    std::chrono::seconds grace_period{10};
    bool handle_signals = true;
};

struct RunSummary {
    std::size_t cycles = 0;
    std::size_t failed_cycles = 0;
    bool interrupted = false;    // stopped by a signal or request_stop()
    bool abandoned_work = false;  // the grace period ran out
};

class ServiceRunner {
public:
    explicit ServiceRunner(RunnerOptions options = {});
    ~ServiceRunner();

    boost::asio::io_context& io() { return io_; }
    Shutdown& shutdown() { return shutdown_; }

    void add(std::unique_ptr<Service> service);

    // Blocks until every service loop ended. Calls persist_state() on each
    // service afterwards, also when the grace period ran out.
    RunSummary run();

    // Thread-safe; what SIGINT/SIGTERM do.
    void request_stop();

private:
    boost::asio::awaitable<void> service_loop(Service& service);

    RunnerOptions options_;
    // Declared before io_ so they outlive it: destroying the io_context
    // destroys coroutines abandoned after the grace period, which may still
    // refer to their service.
    std::vector<std::unique_ptr<Service>> services_;
    Shutdown shutdown_;
    boost::asio::io_context io_;
    std::atomic<std::size_t> cycles_{0};
    std::atomic<std::size_t> failed_cycles_{0};
};

}  // namespace brotr::runtime
