// A long-running service: one cycle of work, repeated every interval.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "brotr/log.hpp"

namespace brotr::runtime {

class Shutdown;

// Summary of one cycle, logged as one `cycle_completed` line.
struct CycleReport {
    // Ordered key=value pairs, e.g. {"synced_relays","12"}.
    log::FieldList fields;
    void add(std::string key, std::string value) { fields.emplace_back(std::move(key), std::move(value)); }
    template <typename Number>
    void add_number(std::string key, Number n) { add(std::move(key), std::to_string(n)); }
};

class Service {
public:
    virtual ~Service() = default;
    virtual std::string_view name() const = 0;
    virtual std::chrono::seconds interval() const = 0;
    // A one-shot service (the initializer) runs a single cycle, also without `--once`.
    virtual bool one_shot() const { return false; }

    // Does one cycle. May throw: the runner logs the failure and the next
    // cycle still runs. Long cycles should poll `shutdown.requested()`
    // between units of work and return early once it is set.
    virtual boost::asio::awaitable<CycleReport> run_cycle(Shutdown& shutdown) = 0;

    // Called once when the runner stops, after the last cycle ended: write
    // whatever state must survive a restart.
    virtual void persist_state() {}
};

// Counts, for /metrics (brotr_service_errors_total), a failure a service
// logged and survived, by a short reason: "cycle" (the runner: a whole cycle
// failed), "store", "source", "connection", ...
void count_service_error(std::string_view service, std::string_view reason);

}  // namespace brotr::runtime
