// Shared by the synchronizer's integration tests: a store in a temporary
// directory with a Synchronizer over it, one cycle at a time, and a scripted
// in-process relay for the faults a real relay does not produce (forged
// events, floods, contradictions, dropped connections, stalls).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "brotr/config.hpp"
#include "brotr/event.hpp"
#include "brotr/store.hpp"
#include "runtime/service.hpp"
#include "services/synchronizer.hpp"
#include "support/fake_relay.hpp"
#include "support/test_env.hpp"

namespace brotr::test {

// A synchronizer config for loopback tests: no stagger, short timeouts,
// the given relays as overrides.
SynchronizerConfig sync_config(const std::vector<std::string>& override_urls, std::uint32_t limit = 50);

// The summary fields of a cycle as a map (missing keys read as 0).
struct CycleFields {
    std::map<std::string, std::string> fields;
    std::uint64_t number(const std::string& key) const;
    std::string text() const;  // "k=v k=v", for failure messages
};

class SyncHarness {
public:
    explicit SyncHarness(SynchronizerConfig config, AddressPolicy policy = {},
                         StoreVariant variant = StoreVariant::bigbrotr);
    ~SyncHarness();

    Store& store() { return *store_; }
    services::Synchronizer& synchronizer() { return *sync_; }
    // Unix time the synchronizer sees; real time until set.
    void set_now(std::int64_t now) { now_ = now; }

    // One cycle on a fresh 2-thread io_context.
    CycleFields run_cycle(std::chrono::seconds limit = std::chrono::seconds(300));
    // The same with a stop requested after `after`.
    CycleFields run_cycle_interrupted(std::chrono::milliseconds after);

    std::optional<std::int64_t> saved_timestamp(const std::string& url);

    // Rebuilds the synchronizer with another config (same store, state reloaded).
    void reconfigure(SynchronizerConfig config);

private:
    SynchronizerConfig config_;
    AddressPolicy policy_;
    TempDir dir_;
    std::optional<Store> store_;
    std::atomic<std::int64_t> now_{0};
    std::unique_ptr<services::Synchronizer> sync_;
};

// A relay in-process that answers REQs from a list of events the way real
// relays do (matching since/until, newest first, at most min(limit, cap)),
// with hooks to misbehave.
struct ScriptedRelayOptions {
    std::vector<Event> events;
    std::size_t cap = 1000;
    // Called on every answer before it is sent: frames (["EVENT",sub,...]
    // texts, EOSE excluded) may be edited, added, removed or reordered.
    std::function<void(const std::string& sub, std::int64_t since, std::int64_t until, std::size_t limit,
                       std::vector<std::string>& frames)>
        tamper{};
    // Close the first connection when this REQ (1-based) arrives; 0: never.
    std::size_t drop_first_connection_at_req = 0;
    // Answer nothing after this many REQs (per connection); 0: never stall.
    std::size_t stall_after_reqs = 0;
    std::chrono::milliseconds delay_per_answer{0};
};

class ScriptedRelay {
public:
    explicit ScriptedRelay(ScriptedRelayOptions options);
    std::string url() const { return server_->ws_url(); }
    std::size_t requests() const { return requests_.load(); }
    std::size_t connections() const { return server_->connections(); }
    std::vector<std::string> received_reqs() const;  // every REQ message, as received

private:
    void serve(FakePeer& peer);
    ScriptedRelayOptions options_;
    std::atomic<std::size_t> requests_{0};
    std::atomic<std::size_t> connection_count_{0};
    mutable std::mutex mutex_;
    std::vector<std::string> reqs_;
    std::unique_ptr<FakeServer> server_;
};

// `count` events signed with key `key_seed`, `per_second` sharing each second from `start`.
std::vector<Event> signed_events(std::size_t count, std::int64_t start, std::size_t per_second, std::uint8_t key_seed = 1);

}  // namespace brotr::test
