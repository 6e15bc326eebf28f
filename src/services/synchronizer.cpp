#include "services/synchronizer.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <map>
#include <stdexcept>
#include <thread>

#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>
#include <fmt/format.h>

#include "brotr/filter.hpp"
#include "brotr/hex.hpp"
#include "brotr/log.hpp"
#include "net/tls_context.hpp"
#include "runtime/blocking.hpp"
#include "runtime/shutdown.hpp"
#include "runtime/task_group.hpp"
#include "services/relay_selection.hpp"
#include "services/relay_sync.hpp"
#include "services/service_metrics.hpp"

namespace asio = boost::asio;

// GCC 12 takes asio's recycled coroutine frames (allocated with
// aligned_alloc, released by awaitable_frame_base::operator delete, which
// frees them the matching way) for a mismatched new/delete once it inlines
// the frame allocation into this file's coroutines: a false positive.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"


namespace brotr::services {

namespace {

std::int64_t system_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// The config's lists are validated when it is loaded (ids and authors are 64
// lower-case hex); an empty list there means no restriction, as an absent one.
Filter filter_from_config(const SynchronizerConfig::Filter& f) {
    auto keys = [](const std::vector<std::string>& hex) {
        std::vector<Bytes32> out;
        for (const auto& h : hex) {
            auto bytes = parse_hex_array<32>(h);
            if (!bytes) throw std::invalid_argument("synchronizer filter: '" + h + "' is not 64 lower-case hex characters");
            out.push_back(*bytes);
        }
        return out;
    };
    Filter filter;
    if (f.ids && !f.ids->empty()) filter.ids = keys(*f.ids);
    if (f.authors && !f.authors->empty()) filter.authors = keys(*f.authors);
    if (f.kinds && !f.kinds->empty()) filter.kinds = *f.kinds;
    if (f.tags)
        for (const auto& [letter, values] : *f.tags)
            if (!values.empty()) filter.tags[letter] = values;
    return filter;
}

// Totals of one cycle, for its summary line.
struct Totals {
    std::size_t synced = 0, failed = 0, up_to_date = 0;
    std::uint64_t received = 0, stored = 0, duplicates = 0, links = 0, requests = 0;
    std::uint64_t second_splits = 0, midpoint_splits = 0, capped_seconds = 0;
    std::chrono::steady_clock::duration relay_time{}, store_time{};
    std::array<std::uint64_t, kEventErrorCount> invalid{};
    net::DropCounts drops;
    std::map<std::string, std::size_t> failures;

    void add(const RelaySyncResult& r) {
        if (r.success) ++synced; else ++failed;
        if (!r.success) ++failures[r.failure];
        received += r.events_received;
        stored += r.stored;
        duplicates += r.duplicates;
        links += r.links_added;
        requests += r.fetch.requests;
        second_splits += r.fetch.second_splits;
        midpoint_splits += r.fetch.midpoint_splits;
        capped_seconds += r.fetch.capped_seconds;
        relay_time += r.relay_time;
        store_time += r.store_time;
        for (std::size_t i = 0; i < kEventErrorCount; ++i) invalid[i] += r.invalid[i];
        drops += r.drops;
    }

    runtime::CycleReport report(std::size_t relays, std::size_t skipped, std::size_t other_shards) const {
        runtime::CycleReport out;
        out.add_number("relays", relays);
        if (other_shards > 0) out.add_number("other_shard_relays", other_shards);
        out.add_number("synced_relays", synced + up_to_date);
        out.add_number("failed_relays", failed);
        out.add_number("skipped_relays", skipped);
        out.add_number("synced_events", stored);
        out.add_number("duplicate_events", duplicates);
        out.add_number("relay_links", links);
        out.add_number("received_events", received);
        out.add_number("requests", requests);
        // Busy time summed over relays: waiting for answers, and verifying and storing.
        out.add("relay_seconds", fmt::format("{:.1f}", std::chrono::duration<double>(relay_time).count()));
        out.add("store_seconds", fmt::format("{:.1f}", std::chrono::duration<double>(store_time).count()));
        for (const auto& [kind, n] : failures) out.add_number("failed_" + kind, n);
        // Invalid events by reason: what the session could not parse, and what
        // the store's id and signature checks refused.
        for (std::size_t i = 1; i < kEventErrorCount; ++i) {
            const std::uint64_t n = invalid[i] + drops.by_event_error[i];
            if (n) out.add_number("invalid_" + std::string(to_string(static_cast<EventError>(i))), n);
        }
        for (std::size_t i = 0; i < net::kDropReasonCount; ++i) {
            const auto reason = static_cast<net::DropReason>(i);
            if (reason == net::DropReason::invalid_event) continue;  // broken down above
            if (drops[reason]) out.add_number("dropped_" + std::string(net::to_string(reason)), drops[reason]);
        }
        if (second_splits) out.add_number("second_splits", second_splits);
        if (midpoint_splits) out.add_number("midpoint_splits", midpoint_splits);
        if (capped_seconds) out.add_number("capped_seconds", capped_seconds);
        return out;
    }
};

}  // namespace

struct Synchronizer::Cycle {
    runtime::Shutdown& shutdown;
    RelaySyncContext context;
    RelaySelection selection;
    std::int64_t until = 0;
    std::atomic<std::size_t> next{0};
    std::mutex mutex;  // guards totals
    Totals totals;
};

Synchronizer::Synchronizer(Store& store, SynchronizerConfig config, AddressPolicy address_policy,
                           SynchronizerOptions options)
    : store_(store),
      config_(std::move(config)),
      address_policy_(address_policy),
      options_(std::move(options)),
      rng_(std::random_device{}()) {
    const unsigned threads =
        options_.store_threads ? options_.store_threads : std::max(1u, std::thread::hardware_concurrency());
    store_pool_ = std::make_unique<asio::thread_pool>(threads);
}

Synchronizer::~Synchronizer() {
    // Inserts still running (work abandoned after the grace period) finish
    // before the store they write to can go away.
    store_pool_->join();
}

std::chrono::seconds Synchronizer::interval() const {
    return std::chrono::seconds(std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(config_.interval))));
}

std::int64_t Synchronizer::now() const { return options_.clock ? options_.clock() : system_now(); }

SyncState Synchronizer::state() const {
    std::lock_guard lock(mutex_);
    return state_;
}

void Synchronizer::load_state() {
    std::lock_guard lock(mutex_);
    if (state_loaded_) return;
    state_loaded_ = true;
    auto saved = store_.get_service_state(kName);
    if (!saved) return;
    std::size_t skipped = 0;
    auto parsed = SyncState::from_json(saved->state_json, &skipped);
    if (!parsed) {
        log::warn(kName, "state_unreadable", {{"action", "starting from an empty state"}});
        return;
    }
    if (skipped) log::warn(kName, "state_entries_skipped", {{"entries", skipped}});
    state_ = std::move(*parsed);
}

void Synchronizer::save_state() {
    std::string json;
    {
        std::lock_guard lock(mutex_);
        if (!state_dirty_) return;
        json = state_.to_json();
        state_dirty_ = false;
        last_save_ = std::chrono::steady_clock::now();
    }
    try {
        store_.put_service_state(kName, json, system_now());
    } catch (...) {
        std::lock_guard lock(mutex_);
        state_dirty_ = true;  // saved by a later attempt
        throw;
    }
}

void Synchronizer::persist_state() {
    // The runner has stopped its io_context: store jobs still running on the
    // pool (work abandoned after the grace period) finish first, so their
    // completions never reach an io_context that is about to be destroyed.
    store_pool_->join();
    save_state();
}

asio::awaitable<runtime::CycleReport> Synchronizer::run_cycle(runtime::Shutdown& shutdown) {
    load_state();
    const std::int64_t cycle_now = now();
    auto read_registry = [this] { return store_.relay_metadata_latest(); };
    auto registry = co_await runtime::run_blocking(*store_pool_, read_registry);

    Cycle cycle{shutdown, {}, {}, cycle_now - config_.time_range.lookback_seconds, {}, {}, {}};
    {
        std::lock_guard lock(mutex_);
        cycle.selection = select_relays(registry, config_, options_.shard, cycle_now, rng_);
    }
    registry.clear();
    RelaySyncContext& context = cycle.context;
    context.store = &store_;
    context.store_pool = store_pool_.get();
    context.shutdown = &shutdown;
    context.filter = filter_from_config(config_.filter);
    context.fetch.limit = config_.filter.limit;
    context.fetch.max_requests = options_.max_requests_per_relay;
    context.address_policy = address_policy_;
    if (config_.tor.enabled) context.socks5 = net::Socks5Proxy{config_.tor.host, config_.tor.port};
    context.tls = options_.tls;

    const std::size_t relays = cycle.selection.relays.size();
    const std::size_t max_sessions =
        static_cast<std::size_t>(config_.concurrency.max_parallel) * config_.concurrency.max_processes;
    const std::size_t workers = std::min(relays, max_sessions);
    log::debug(kName, "cycle_started", {{"relays", relays}, {"workers", workers}, {"until", cycle.until}});

    auto executor = co_await asio::this_coro::executor;
    runtime::TaskGroup group(executor);
    // Each worker on a strand of its own: its store writes and its next
    // request run side by side, without racing on the worker's state.
    for (std::size_t i = 0; i < workers; ++i) group.spawn(asio::make_strand(executor), worker(cycle));
    co_await group.wait();

    auto save = [this] { save_state(); };
    co_await runtime::run_blocking(*store_pool_, save);
    co_return cycle.totals.report(relays, cycle.selection.skipped_tor, cycle.selection.other_shards);
}

asio::awaitable<void> Synchronizer::worker(Cycle& cycle) {
    // Stagger: workers start at random moments so a cycle does not open
    // every connection in the same instant.
    double delay = 0;
    {
        std::lock_guard lock(mutex_);
        const double lo = config_.concurrency.stagger_delay_min, hi = config_.concurrency.stagger_delay_max;
        if (hi > 0) delay = std::uniform_real_distribution<double>(lo, std::max(lo, hi))(rng_);
    }
    if (delay > 0 && !co_await cycle.shutdown.sleep(std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                         std::chrono::duration<double>(delay))))
        co_return;
    while (!cycle.shutdown.requested()) {
        const std::size_t index = cycle.next.fetch_add(1);
        if (index >= cycle.selection.relays.size()) break;
        co_await sync_one(cycle, index);
    }
}

asio::awaitable<void> Synchronizer::sync_one(Cycle& cycle, std::size_t index) {
    const RelayTarget& target = cycle.selection.relays[index];
    const std::string& url = target.url.str();

    // Window start: the saved timestamp, else the newest event already linked
    // to the relay, else the configured default.
    std::optional<std::int64_t> saved;
    {
        std::lock_guard lock(mutex_);
        saved = state_.timestamp(url);
    }
    std::int64_t since = config_.time_range.default_start;
    if (saved) {
        since = *saved + 1;
    } else if (auto newest = store_.newest_event_created_at(url)) {
        since = *newest + 1;
    }
    const TimeWindow window{since, cycle.until};
    if (since >= cycle.until) {
        std::lock_guard lock(cycle.mutex);
        ++cycle.totals.up_to_date;
        count_relay_up_to_date();
        co_return;
    }

    RelaySyncResult r = co_await sync_relay(cycle.context, target, window);
    const double seconds = std::chrono::duration<double>(r.elapsed).count();
    if (r.success) {
        log::debug(kName, "relay_synced",
                   {{"relay", url}, {"since", since}, {"until", cycle.until}, {"events", r.stored},
                    {"duplicates", r.duplicates}, {"requests", r.fetch.requests}, {"duration", seconds}});
    } else {
        log::debug(kName, "relay_failed",
                   {{"relay", url}, {"reason", r.failure}, {"detail", r.failure_detail}, {"events", r.stored},
                    {"requests", r.fetch.requests}, {"duration", seconds}});
    }
    record_relay_sync(r);
    {
        std::lock_guard lock(cycle.mutex);
        cycle.totals.add(r);
    }
    bool save_now = false;
    {
        std::lock_guard lock(mutex_);
        if (r.success) {
            state_.relay_timestamps[url] = cycle.until;
            state_dirty_ = true;
        } else if (!saved) {
            // Unchanged in effect, but pinned: the next cycle retries from the
            // same start even though newer events of this relay are now stored.
            state_.relay_timestamps[url] = since - 1;
            state_dirty_ = true;
        }
        save_now = state_dirty_ && std::chrono::steady_clock::now() - last_save_ >= options_.state_save_interval;
    }
    if (save_now) {
        auto save = [this] {
            try {
                save_state();
            } catch (const std::exception& e) {
                // The next save (at the latest at the end of the cycle) tries again.
                log::error(kName, "state_save_failed", {{"error", e.what()}});
            }
        };
        co_await runtime::run_blocking(*store_pool_, save);
    }
}

}  // namespace brotr::services
