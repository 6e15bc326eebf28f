// The Synchronizer service (docs/services.md): every cycle, archives the events of
// each selected relay since its saved timestamp, many relays at once on the
// shared io_context, with the time-window stack algorithm, and advances a
// relay's timestamp only when its whole window was fetched and stored.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>

#include "brotr/config.hpp"
#include "brotr/store.hpp"
#include "runtime/service.hpp"
#include "services/sync_state.hpp"

namespace boost::asio {
class thread_pool;
}

namespace brotr::net {
class TlsContext;
}

namespace brotr::services {

struct SynchronizerOptions {
    // Unix time used for windows and metadata ages; tests move it forward.
    std::function<std::int64_t()> clock;
    // Threads that verify and store events; 0: one per core.
    unsigned store_threads = 0;
    // Null: the system's CAs.
    std::shared_ptr<net::TlsContext> tls;
    // Requests allowed per relay and cycle (see WindowFetchOptions).
    std::uint64_t max_requests_per_relay = 100'000;
    // Saved state is written at most this often during a cycle (and always at its end).
    std::chrono::seconds state_save_interval{30};
    // This node's share of the relays (brotr.yaml `shard`).
    ShardConfig shard;
};

class Synchronizer : public runtime::Service {
public:
    static constexpr std::string_view kName = "synchronizer";

    // `address_policy` is brotr.yaml's `network`: the SSRF rule for relays
    // found in the registry (relays listed in `overrides` are exempt).
    Synchronizer(Store& store, SynchronizerConfig config, AddressPolicy address_policy,
                 SynchronizerOptions options = {});
    ~Synchronizer() override;

    std::string_view name() const override { return kName; }
    std::chrono::seconds interval() const override;
    boost::asio::awaitable<runtime::CycleReport> run_cycle(runtime::Shutdown& shutdown) override;
    // Final: waits for the store pool, which takes no work afterwards.
    void persist_state() override;

    // The state as of the last relay that finished (a copy; thread-safe).
    SyncState state() const;

    struct Cycle;  // one cycle's shared bookkeeping

private:
    std::int64_t now() const;
    void load_state();
    void save_state();
    boost::asio::awaitable<void> worker(Cycle& cycle);
    boost::asio::awaitable<void> sync_one(Cycle& cycle, std::size_t index);

    Store& store_;
    SynchronizerConfig config_;
    AddressPolicy address_policy_;
    SynchronizerOptions options_;
    std::unique_ptr<boost::asio::thread_pool> store_pool_;

    mutable std::mutex mutex_;  // guards what follows
    SyncState state_;
    bool state_loaded_ = false;
    bool state_dirty_ = false;
    std::chrono::steady_clock::time_point last_save_{};
    std::mt19937_64 rng_;
};

}  // namespace brotr::services
