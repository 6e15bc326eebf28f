#include "runtime/service_runner.hpp"

#include <csignal>
#include <exception>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/post.hpp>
#include <fmt/format.h>

#include "brotr/log.hpp"
#include "runtime/blocking.hpp"
#include "util/clock.hpp"
#include "util/metrics.hpp"

namespace asio = boost::asio;

namespace brotr::runtime {

ServiceRunner::ServiceRunner(RunnerOptions options)
    : options_(options), io_(static_cast<int>(options.threads)) {}

ServiceRunner::~ServiceRunner() = default;

void ServiceRunner::add(std::unique_ptr<Service> service) { services_.push_back(std::move(service)); }

void ServiceRunner::request_stop() { shutdown_.request(); }

namespace {

// Every service's cycles, for /metrics (docs/api.md lists the names).
void record_cycle(const std::string& service, bool ok, double seconds) {
    auto& r = metrics::registry();
    r.counter("brotr_service_cycles_total", "Cycles a service ran, by result.",
              {{"service", service}, {"result", ok ? "ok" : "failed"}})
        .inc();
    r.histogram("brotr_service_cycle_duration_seconds", "How long a service's cycles took.", {{"service", service}})
        .observe(seconds);
    r.gauge("brotr_service_last_cycle_timestamp_seconds", "When a service's last cycle ended (Unix time).",
            {{"service", service}})
        .set(static_cast<double>(unix_now()));
}

}  // namespace

void count_service_error(std::string_view service, std::string_view reason) {
    metrics::registry()
        .counter("brotr_service_errors_total", "Failures a service logged and survived, by reason.",
                 {{"service", std::string(service)}, {"reason", std::string(reason)}})
        .inc();
}

asio::awaitable<void> ServiceRunner::service_loop(Service& service) {
    const std::string name(service.name());
    // With the last cycle's time, lets an alert tell a stopped service from a slow one.
    metrics::registry()
        .gauge("brotr_service_interval_seconds", "A service's configured pause between cycles.", {{"service", name}})
        .set(static_cast<double>(service.interval().count()));
    while (!shutdown_.requested()) {
        const auto started = std::chrono::steady_clock::now();
        bool ok = false;
        try {
            CycleReport report = co_await service.run_cycle(shutdown_);
            const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            report.add("duration", fmt::format("{:.1f}", seconds));
            log::info(name, "cycle_completed", report.fields);
            cycles_.fetch_add(1);
            ok = true;
        } catch (const std::exception& e) {
            failed_cycles_.fetch_add(1);
            count_service_error(name, "cycle");
            log::error(name, "cycle_failed", {{"error", e.what()}});
        }
        record_cycle(name, ok, std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
        if (options_.once || service.one_shot()) break;
        if (!co_await shutdown_.sleep(service.interval())) break;
    }
}

RunSummary ServiceRunner::run() {
    RunSummary summary;
    std::atomic<std::size_t> running{services_.size()};
    // The signal set, the grace timer and `finished` live on one strand: the
    // stop request and the end of the last service loop may race on other threads.
    auto strand = asio::make_strand(io_);
    asio::signal_set signals(strand);
    if (options_.handle_signals) {
        signals.add(SIGINT);
        signals.add(SIGTERM);
        signals.async_wait([this](const boost::system::error_code& ec, int signal_number) {
            if (ec) return;
            log::info("runtime", "stop_requested", {{"signal", signal_number == SIGINT ? "SIGINT" : "SIGTERM"}});
            request_stop();
        });
    }

    // Once stop is requested, in-flight work has a bounded time, then the loop stops.
    asio::steady_timer grace(strand);
    bool finished = services_.empty();
    std::atomic<bool> abandoned{false};
    auto stop_id = shutdown_.on_request([&] {
        asio::post(strand, [&] {
            if (finished) return;
            grace.expires_after(options_.grace_period);
            grace.async_wait([&](const boost::system::error_code& ec) {
                if (ec || finished) return;
                abandoned = true;
                log::warn("runtime", "grace_period_expired",
                          {{"seconds", std::to_string(options_.grace_period.count())}});
                io_.stop();
            });
        });
    });

    auto loop_ended = [&](std::exception_ptr) {
        if (running.fetch_sub(1) == 1) {
            // Last loop ended: nothing else may keep the io_context alive.
            asio::post(strand, [&] {
                finished = true;
                signals.cancel();
                grace.cancel();
            });
        }
    };
    // One-shot services (the initializer) first, one after the other: the
    // others start on what they set up, e.g. the relays seeded into the store.
    std::vector<Service*> first, then;
    for (auto& service : services_) (service->one_shot() ? first : then).push_back(service.get());
    asio::co_spawn(
        io_,
        [this, first, then, &loop_ended]() -> asio::awaitable<void> {
            for (Service* service : first) {
                co_await service_loop(*service);
                loop_ended(nullptr);
            }
            for (Service* service : then) asio::co_spawn(io_, service_loop(*service), loop_ended);
        },
        asio::detached);
    if (services_.empty()) asio::post(strand, [&] { signals.cancel(); });

    std::vector<std::thread> threads;
    for (unsigned i = 1; i < options_.threads; ++i) threads.emplace_back([this] { io_.run(); });
    io_.run();
    for (auto& t : threads) t.join();
    shutdown_.forget(stop_id);
    // Pool threads finishing a store write must let go of their executors
    // before the io_context can be destroyed; abandoned work gets the grace
    // period once more.
    if (!wait_for_blocking_jobs(options_.grace_period))
        log::warn("runtime", "blocking_work_still_running", {{"seconds", std::to_string(options_.grace_period.count())}});

    for (auto& service : services_) {
        try {
            service->persist_state();
        } catch (const std::exception& e) {
            log::error(std::string(service->name()), "persist_state_failed", {{"error", e.what()}});
        }
    }
    summary.cycles = cycles_.load();
    summary.failed_cycles = failed_cycles_.load();
    summary.interrupted = shutdown_.requested();
    summary.abandoned_work = abandoned.load();
    return summary;
}

}  // namespace brotr::runtime
