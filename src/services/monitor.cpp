#include "services/monitor.hpp"

#include <algorithm>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>
#include <cmath>
#include <ctime>

#include "brotr/hex.hpp"
#include "brotr/log.hpp"
#include "runtime/blocking.hpp"
#include "runtime/shutdown.hpp"
#include "services/monitor_check.hpp"
#include "services/monitor_selection.hpp"
#include "services/monitor_workers.hpp"
#include "services/nip66_publish.hpp"
#include "services/service_metrics.hpp"

namespace asio = boost::asio;

// A false positive of GCC 12: once it inlines asio's frame allocation into a
// coroutine, it pairs the recycling allocator's aligned allocation with
// awaitable_frame_base::operator delete, which does free it the matching way.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace brotr::services {

namespace {

std::chrono::milliseconds seconds_to_ms(double seconds) {
    return std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(seconds * 1000.0)));
}

std::string cycle_state_json(const MonitorCycleStats& s, std::int64_t started_at) {
    return "{\"last_cycle\":{\"started_at\":" + std::to_string(started_at) + ",\"due\":" + std::to_string(s.due) +
           ",\"checked\":" + std::to_string(s.checked) + ",\"snapshots\":" + std::to_string(s.snapshots) +
           ",\"openable\":" + std::to_string(s.openable) + ",\"interrupted\":" + (s.interrupted ? "true" : "false") +
           "}}";
}

}  // namespace

struct Monitor::Cycle {
    asio::any_io_executor executor;
    std::vector<RelayUrl> due;
    std::atomic<std::size_t> next{0};

    std::mutex mutex;  // guards what follows
    MonitorCycleStats stats;
    std::vector<RelayMetadata> pending;  // snapshots not stored yet
    std::vector<Event> discovery;        // signed NIP-66 events to publish
};

Monitor::Monitor(Store& store, MonitorConfig config, AddressPolicy address_policy, MonitorOptions options)
    : store_(store), config_(std::move(config)), address_policy_(address_policy), options_(std::move(options)) {
    keys_ = options_.keys ? *options_.keys : load_monitor_keys_from_env(config_.keys.public_key);
    if (keys_.secret) {
        log::info(kName, "keys_loaded", {{"public_key", to_hex(keys_.public_key)}});
    } else {
        log::info(kName, "write_test_disabled", {{"reason", keys_.note}});
    }
    if (!options_.publish_relays.empty() && !keys_.secret) {
        log::warn(kName, "publish_disabled", {{"reason", "publishing NIP-66 events needs keys"}});
    }
    mining_pool_ = std::make_unique<asio::thread_pool>(std::max(1u, options_.mining_threads));
    mining_cancellation_ = std::make_shared<MiningCancellation>();
    store_pool_ = std::make_unique<asio::thread_pool>(1);
}

Monitor::~Monitor() {
    mining_cancellation_->stop_all();  // a search left behind by an abandoned cycle
    mining_pool_->join();
    store_pool_->join();
}

std::chrono::seconds Monitor::interval() const {
    return std::chrono::seconds(static_cast<std::int64_t>(std::llround(config_.interval)));
}

std::int64_t Monitor::now() const {
    return options_.clock ? options_.clock() : static_cast<std::int64_t>(std::time(nullptr));
}

std::chrono::milliseconds Monitor::timeout_for(Network network) const {
    if (network == Network::tor) return options_.tor_timeout.value_or(seconds_to_ms(config_.timeouts.tor));
    return options_.clearnet_timeout.value_or(seconds_to_ms(config_.timeouts.clearnet));
}

MonitorCycleStats Monitor::last_cycle() const {
    std::lock_guard lock(mutex_);
    return last_;
}

asio::awaitable<void> Monitor::worker(Cycle& cycle, runtime::Shutdown& shutdown) {
    RelayCheckOptions base;
    base.connect.address_policy = address_policy_;
    base.connect.tls = options_.tls;
    if (config_.tor.enabled) base.connect.socks5 = net::Socks5Proxy{config_.tor.host, config_.tor.port};
    base.nip11_max_bytes = options_.nip11_max_bytes;
    if (keys_.secret) {
        WriteTestSigning signing;
        signing.secret = *keys_.secret;
        signing.mining_pool = mining_pool_.get();
        signing.cancellation = mining_cancellation_;
        base.signing = signing;
    }
    const bool publishing = keys_.secret && !options_.publish_relays.empty();

    while (!shutdown.requested()) {
        const std::size_t index = cycle.next.fetch_add(1);
        if (index >= cycle.due.size()) break;
        const RelayUrl& relay = cycle.due[index];
        RelayCheckOptions options = base;
        options.timeout = timeout_for(relay.network());
        options.budget = options.timeout * std::max(1u, options_.budget_timeouts);

        RelayCheck check = co_await check_relay(cycle.executor, relay, options, now());
        const Nip66 live = check.metadata.nip66.value_or(Nip66{});
        auto rtt = [](const std::optional<std::int32_t>& ms) { return ms ? std::to_string(*ms) : std::string(); };
        log::debug(kName, "relay_checked",
                   {{"relay", relay.str()},
                    {"nip11", check.metadata.nip11.has_value()},
                    {"tested", check.metadata.nip66.has_value()},
                    {"openable", live.openable},
                    {"readable", live.readable},
                    {"writable", live.writable},
                    {"rtt_open", rtt(live.rtt_open)},
                    {"rtt_read", rtt(live.rtt_read)},
                    {"rtt_write", rtt(live.rtt_write)},
                    {"nip11_error", check.nip11_error},
                    {"open_error", check.open_error},
                    {"read", check.read_detail},
                    {"write", check.write_detail},
                    {"elapsed_ms", check.elapsed.count() / 1000}});

        std::string_view result = "not_tested";
        if (check.metadata.nip66)
            result = live.writable ? "writable" : live.readable ? "readable" : live.openable ? "openable" : "unreachable";
        record_relay_check(result, live.rtt_open, live.rtt_read, live.rtt_write);

        std::optional<Event> discovery;
        if (publishing && check.metadata.nip66 && check.metadata.nip66->openable) {
            discovery = make_relay_discovery_event(relay, *check.metadata.nip66,
                                                   check.nip11_document ? &*check.nip11_document : nullptr, now());
            sign_event(*discovery, *keys_.secret);
        }

        bool flush = false;
        {
            std::lock_guard lock(cycle.mutex);
            MonitorCycleStats& s = cycle.stats;
            ++s.checked;
            if (check.metadata.nip11) ++s.nip11;
            if (check.metadata.nip66) {
                s.openable += check.metadata.nip66->openable;
                s.readable += check.metadata.nip66->readable;
                s.writable += check.metadata.nip66->writable;
            } else {
                ++s.not_tested;
            }
            if (check.has_snapshot()) cycle.pending.push_back(std::move(check.metadata));
            if (discovery) cycle.discovery.push_back(std::move(*discovery));
            flush = cycle.pending.size() >= config_.concurrency.batch_size;
        }
        if (flush) co_await store_batch(cycle, false);
    }
}

asio::awaitable<void> Monitor::store_batch(Cycle& cycle, bool final) {
    std::vector<RelayMetadata> batch;
    {
        std::lock_guard lock(cycle.mutex);
        if (!final && cycle.pending.size() < config_.concurrency.batch_size) co_return;
        batch.swap(cycle.pending);
    }
    if (batch.empty()) co_return;
    auto [stored, errors] = co_await runtime::run_blocking(*store_pool_, [this, &batch] {
        std::pair<std::size_t, std::size_t> counts{0, 0};
        for (const RelayMetadata& m : batch) {
            try {
                store_.insert_relay_metadata(m);
                ++counts.first;
            } catch (const StoreError& e) {
                ++counts.second;
                count_service_error(kName, "store");
                log::warn(kName, "snapshot_not_stored", {{"relay", m.relay_url}, {"error", e.what()}});
            }
        }
        return counts;
    });
    std::lock_guard lock(cycle.mutex);
    cycle.stats.snapshots += stored;
    cycle.stats.store_errors += errors;
}

asio::awaitable<void> Monitor::publish(Cycle& cycle) {
    if (!keys_.secret || options_.publish_relays.empty()) co_return;
    std::vector<Event> events;
    MonitorAnnouncement announcement;
    announcement.frequency_seconds = interval().count();
    announcement.timeout_ms = timeout_for(Network::clearnet).count();
    announcement.write_check = true;
    events.push_back(make_monitor_announcement(announcement, now()));
    sign_event(events.back(), *keys_.secret);
    {
        std::lock_guard lock(cycle.mutex);
        for (Event& e : cycle.discovery) events.push_back(std::move(e));
        cycle.discovery.clear();
    }
    PublishOptions options;
    options.session.websocket.connect.address_policy = options_.publish_address_policy;
    options.session.websocket.connect.tls = options_.tls;
    if (config_.tor.enabled) {
        options.session.websocket.connect.socks5 = net::Socks5Proxy{config_.tor.host, config_.tor.port};
    }
    options.timeout = timeout_for(Network::clearnet);
    PublishSummary summary = co_await publish_events(cycle.executor, options_.publish_relays, events, options);
    for (const std::string& error : summary.errors) log::warn(kName, "publish_relay_failed", {{"error", error}});
    std::lock_guard lock(cycle.mutex);
    cycle.stats.published += events.size();
    cycle.stats.publish_accepted += summary.accepted;
}

asio::awaitable<runtime::CycleReport> Monitor::run_cycle(runtime::Shutdown& shutdown) {
    const auto started = std::chrono::steady_clock::now();
    const std::int64_t started_at = now();
    Cycle cycle;
    cycle.executor = co_await asio::this_coro::executor;

    MonitorSelection selection = select_relays_due(store_.relay_metadata_latest(), started_at,
                                                   config_.selection.min_age_since_check, config_.tor.enabled);
    cycle.due = std::move(selection.due);
    cycle.stats.due = cycle.due.size();
    cycle.stats.tor_skipped = selection.tor_skipped;
    log::info(kName, "cycle_started", {{"due", cycle.due.size()}, {"fresh", selection.fresh},
                                       {"tor_skipped", selection.tor_skipped}});

    const std::size_t workers = std::min<std::size_t>(config_.concurrency.max_parallel, cycle.due.size());
    co_await run_all(cycle.executor, workers, [&](std::size_t) { return worker(cycle, shutdown); });
    co_await store_batch(cycle, true);
    if (!shutdown.requested()) co_await publish(cycle);

    MonitorCycleStats stats;
    {
        std::lock_guard lock(cycle.mutex);
        stats = cycle.stats;
    }
    stats.interrupted = stats.checked < stats.due;
    stats.duration = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    {
        std::lock_guard lock(mutex_);
        last_ = stats;
        last_started_at_ = started_at;
    }
    save_state();

    runtime::CycleReport report;
    report.add_number("due", stats.due);
    report.add_number("checked", stats.checked);
    report.add_number("snapshots", stats.snapshots);
    report.add_number("nip11", stats.nip11);
    report.add_number("openable", stats.openable);
    report.add_number("readable", stats.readable);
    report.add_number("writable", stats.writable);
    report.add_number("not_tested", stats.not_tested);
    report.add_number("tor_skipped", stats.tor_skipped);
    if (stats.store_errors) report.add_number("store_errors", stats.store_errors);
    if (!options_.publish_relays.empty()) {
        report.add_number("published", stats.published);
        report.add_number("publish_accepted", stats.publish_accepted);
    }
    if (stats.interrupted) report.add("interrupted", "true");
    co_return report;
}

void Monitor::save_state() {
    MonitorCycleStats stats;
    std::int64_t started_at = 0;
    {
        std::lock_guard lock(mutex_);
        stats = last_;
        started_at = last_started_at_;
    }
    if (started_at == 0) return;
    try {
        store_.put_service_state(kName, cycle_state_json(stats, started_at), now());
    } catch (const StoreError& e) {
        log::warn(kName, "state_not_saved", {{"error", e.what()}});
    }
}

void Monitor::persist_state() { save_state(); }

}  // namespace brotr::services
