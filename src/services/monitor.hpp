// The Monitor service (docs/services.md): every cycle, checks each relay that is
// due (monitor_selection.hpp) -- its NIP-11 document and the NIP-66 open,
// read and write tests (monitor_check.hpp) -- with at most
// concurrency.max_parallel relays at once, and stores a snapshot for every
// relay where either part exists, concurrency.batch_size snapshots per store
// round. When publish relays are set and keys are configured, the results
// are also published as NIP-66 events (nip66_publish.hpp).
//
// A relay that stalls holds one worker for at most its check budget (twice
// the network's timeout), so a cycle's length is bounded by the timeouts and
// max_parallel, not by how many relays stall.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "brotr/address_policy.hpp"
#include "brotr/config.hpp"
#include "brotr/store.hpp"
#include "runtime/service.hpp"
#include "services/monitor_keys.hpp"
#include "services/nip66_probe.hpp"

namespace boost::asio {
class thread_pool;
}

namespace brotr::net {
class TlsContext;
}

namespace brotr::services {

struct MonitorOptions {
    // Unix time of snapshots and selection; tests move it forward.
    std::function<std::int64_t()> clock;
    // Null: the system's CAs.
    std::shared_ptr<net::TlsContext> tls;
    // Replace timeouts.clearnet / timeouts.tor (whose config range starts at
    // 5 s) for tests and benchmarks.
    std::optional<std::chrono::milliseconds> clearnet_timeout;
    std::optional<std::chrono::milliseconds> tor_timeout;
    // One relay's whole check may take this many times the network's timeout.
    unsigned budget_timeouts = 2;
    std::size_t nip11_max_bytes = 1024 * 1024;
    // Relays that receive the NIP-66 events (none: nothing is published).
    std::vector<RelayUrl> publish_relays;
    // The SSRF rule for publish relays; nullopt (the default) because they
    // come from the operator's own configuration.
    std::optional<AddressPolicy> publish_address_policy;
    // Threads for NIP-13 mining of write-test events.
    unsigned mining_threads = 1;
    // Keys for the write test; unset: read MONITOR_PRIVATE_KEY and check it
    // against keys.public_key (which may throw MonitorKeyError).
    std::optional<MonitorKeys> keys;
};

// What one cycle did (also the cycle_completed log fields).
struct MonitorCycleStats {
    std::size_t due = 0;          // relays selected
    std::size_t checked = 0;      // relays whose check finished
    std::size_t snapshots = 0;    // snapshots stored
    std::size_t nip11 = 0;        // NIP-11 documents found
    std::size_t openable = 0, readable = 0, writable = 0;
    std::size_t not_tested = 0;   // refused by local rules (SSRF, Tor disabled) before any traffic
    std::size_t tor_skipped = 0;
    std::size_t store_errors = 0;
    std::size_t published = 0;    // NIP-66 events sent
    std::size_t publish_accepted = 0;
    bool interrupted = false;     // shutdown before every due relay was checked
    double duration = 0;          // seconds
};

class Monitor : public runtime::Service {
public:
    static constexpr std::string_view kName = "monitor";

    // `address_policy` is brotr.yaml's `network`: the SSRF rule for the
    // relays of the registry. Throws MonitorKeyError (see monitor_keys.hpp).
    Monitor(Store& store, MonitorConfig config, AddressPolicy address_policy, MonitorOptions options = {});
    ~Monitor() override;

    std::string_view name() const override { return kName; }
    std::chrono::seconds interval() const override;
    boost::asio::awaitable<runtime::CycleReport> run_cycle(runtime::Shutdown& shutdown) override;
    void persist_state() override;

    bool write_test_enabled() const { return keys_.secret.has_value(); }
    MonitorCycleStats last_cycle() const;

    struct Cycle;  // one cycle's shared bookkeeping

private:
    std::int64_t now() const;
    std::chrono::milliseconds timeout_for(Network network) const;
    boost::asio::awaitable<void> worker(Cycle& cycle, runtime::Shutdown& shutdown);
    boost::asio::awaitable<void> store_batch(Cycle& cycle, bool final);
    boost::asio::awaitable<void> publish(Cycle& cycle);
    void save_state();

    Store& store_;
    MonitorConfig config_;
    AddressPolicy address_policy_;
    MonitorOptions options_;
    MonitorKeys keys_;
    std::unique_ptr<boost::asio::thread_pool> mining_pool_;
    std::shared_ptr<MiningCancellation> mining_cancellation_;
    std::unique_ptr<boost::asio::thread_pool> store_pool_;

    mutable std::mutex mutex_;  // guards last_
    MonitorCycleStats last_;
    std::int64_t last_started_at_ = 0;
};

}  // namespace brotr::services
