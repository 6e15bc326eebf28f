#include "services/finder.hpp"

#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>
#include <cmath>
#include <ctime>
#include <unordered_set>
#include <vector>

#include "brotr/log.hpp"
#include "model/jsonb_text.hpp"
#include "runtime/blocking.hpp"
#include "runtime/shutdown.hpp"
#include "services/canonical_json_walk.hpp"
#include "services/finder_api.hpp"
#include "services/finder_scan.hpp"
#include "services/finder_url_policy.hpp"
#include "services/service_metrics.hpp"

namespace asio = boost::asio;

namespace brotr::services {

namespace {

std::chrono::milliseconds seconds_to_ms(double seconds) {
    return std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(seconds * 1000.0)));
}

}  // namespace

struct Finder::Cycle {
    asio::any_io_executor executor;
    FinderCycleStats stats;
    // Normalized URLs handled this cycle; touched on the store pool only.
    std::unordered_set<std::string> seen;
};

Finder::Finder(Store& store, FinderConfig config, AddressPolicy address_policy, FinderOptions options)
    : store_(store), config_(std::move(config)), address_policy_(address_policy), options_(std::move(options)) {
    store_pool_ = std::make_unique<asio::thread_pool>(1);
    // Registered before the first scan, so that a trim running before it
    // keeps the entries the finder has not scanned.
    if (config_.events.enabled) {
        load_state();
        store_.reserve_changelog_consumer(std::string(kName), cursor(), now());
    }
}

Finder::~Finder() { store_pool_->join(); }

std::chrono::seconds Finder::interval() const {
    return std::chrono::seconds(static_cast<std::int64_t>(std::llround(config_.interval)));
}

std::int64_t Finder::now() const {
    return options_.clock ? options_.clock() : static_cast<std::int64_t>(std::time(nullptr));
}

std::uint64_t Finder::cursor() const {
    std::lock_guard lock(mutex_);
    return cursor_;
}

FinderCycleStats Finder::last_cycle() const {
    std::lock_guard lock(mutex_);
    return last_;
}

std::uint64_t Finder::parse_cursor(std::string_view state_json) {
    std::string canonical;
    try {
        canonical = to_jsonb_text(state_json);
    } catch (const JsonbError&) {
        return 0;
    }
    auto members = json_walk::members(canonical);
    if (!members) return 0;
    for (const auto& [key, value] : *members) {
        if (key != "changelog_cursor") continue;
        auto n = json_walk::integer_value(value);
        return (n && *n > 0) ? static_cast<std::uint64_t>(*n) : 0;
    }
    return 0;
}

void Finder::load_state() {
    std::lock_guard lock(mutex_);
    if (state_loaded_) return;
    if (auto state = store_.get_service_state(kName)) cursor_ = parse_cursor(state->state_json);
    state_loaded_ = true;
}

void Finder::save_state() {
    std::uint64_t cursor = 0;
    {
        std::lock_guard lock(mutex_);
        if (!state_dirty_) return;
        cursor = cursor_;
        state_dirty_ = false;
    }
    try {
        store_.put_service_state(kName, "{\"changelog_cursor\":" + std::to_string(cursor) + "}", now());
        // Registered, so that the changelog keeps what the finder has not scanned yet.
        store_.set_changelog_consumer(std::string(kName), cursor, now());
    } catch (const StoreError& e) {
        log::warn(kName, "state_not_saved", {{"error", e.what()}});
        std::lock_guard lock(mutex_);
        state_dirty_ = true;
    }
}

void Finder::persist_state() { save_state(); }

namespace {

// Screens candidates and registers the new ones. Runs on the store pool.
void add_candidates(Store& store, const std::vector<std::string>& candidates, const AddressPolicy& policy,
                    std::unordered_set<std::string>& seen, FinderCycleStats& stats, std::int64_t now,
                    std::string_view source) {
    std::vector<RelayUrl> fresh;
    std::uint64_t invalid = 0, refused = 0;
    for (const std::string& text : candidates) {
        ScreenedUrl screened = screen_discovered_url(text, policy);
        if (screened.verdict == UrlVerdict::invalid) {
            ++invalid;
            log::debug(Finder::kName, "url_skipped", {{"url", text.substr(0, 256)}, {"reason", screened.why}});
            continue;
        }
        if (screened.verdict == UrlVerdict::refused_address) {
            ++refused;
            log::debug(Finder::kName, "url_refused", {{"url", text.substr(0, 256)}, {"reason", screened.why}});
            continue;
        }
        if (seen.insert(screened.url->str()).second) fresh.push_back(std::move(*screened.url));
    }
    stats.invalid += invalid;
    stats.refused += refused;
    count_candidates_rejected("invalid", invalid);
    count_candidates_rejected("refused_address", refused);
    if (fresh.empty()) return;
    const std::size_t added = store.insert_relays(fresh, now);
    stats.new_relays += added;
    count_relays_discovered(source, added);
}

}  // namespace

asio::awaitable<void> Finder::fetch_sources(Cycle& cycle, runtime::Shutdown& shutdown) {
    bool first = true;
    for (const FinderConfig::ApiSource& source : config_.api.sources) {
        if (!source.enabled) continue;
        if (shutdown.requested()) co_return;
        if (!first && config_.api.delay_between_requests > 0) {
            if (!co_await shutdown.sleep(seconds_to_ms(config_.api.delay_between_requests))) co_return;
        }
        first = false;
        ApiFetchOptions options;
        options.connect.address_policy = options_.api_address_policy;
        options.connect.tls = options_.tls;
        options.timeout = seconds_to_ms(source.timeout);
        options.max_body_bytes = options_.api_max_body_bytes;
        ++cycle.stats.sources;
        ApiRelayList list = co_await fetch_api_source(cycle.executor, source.url, options);
        if (!list.ok) {
            ++cycle.stats.sources_failed;
            count_service_error(kName, "source");
            log::warn(kName, "source_failed", {{"url", source.url}, {"error", list.error}});
            continue;
        }
        cycle.stats.api_urls += list.urls.size();
        log::debug(kName, "source_fetched",
                   {{"url", source.url}, {"urls", list.urls.size()}, {"non_strings", list.non_strings}});
        const std::int64_t at = now();
        co_await runtime::run_blocking(*store_pool_, [&] {
            add_candidates(store_, list.urls, address_policy_, cycle.seen, cycle.stats, at, "api");
        });
    }
}

asio::awaitable<void> Finder::scan_events(Cycle& cycle, runtime::Shutdown& shutdown) {
    load_state();
    for (;;) {
        if (shutdown.requested()) {
            cycle.stats.interrupted = true;
            break;
        }
        const std::uint64_t from = cursor();
        const std::int64_t at = now();
        ScanBatch batch = co_await runtime::run_blocking(*store_pool_, [&] {
            std::vector<std::string> candidates;
            ScanBatch b = scan_changelog(store_, from, std::max<std::size_t>(1, options_.scan_batch),
                                         [&](std::string_view c) { candidates.emplace_back(c); });
            add_candidates(store_, candidates, address_policy_, cycle.seen, cycle.stats, at, "events");
            return b;
        });
        cycle.stats.events_scanned += batch.events;
        cycle.stats.event_urls += batch.candidates;
        if (batch.missed_entries > 0) {
            cycle.stats.missed_entries += batch.missed_entries;
            log::warn(kName, "changelog_trimmed_before_scan",
                      {{"missed_entries", batch.missed_entries}, {"cursor", from}});
        }
        if (batch.cursor != from) {
            {
                std::lock_guard lock(mutex_);
                cursor_ = batch.cursor;
                state_dirty_ = true;
            }
            save_state();
        }
        if (batch.at_end) break;
    }
}

asio::awaitable<runtime::CycleReport> Finder::run_cycle(runtime::Shutdown& shutdown) {
    const auto started = std::chrono::steady_clock::now();
    Cycle cycle;
    cycle.executor = co_await asio::this_coro::executor;
    co_await fetch_sources(cycle, shutdown);
    if (config_.events.enabled) co_await scan_events(cycle, shutdown);
    if (shutdown.requested()) cycle.stats.interrupted = true;

    cycle.stats.cursor = cursor();
    cycle.stats.duration = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    {
        std::lock_guard lock(mutex_);
        last_ = cycle.stats;
    }
    const FinderCycleStats& s = cycle.stats;
    runtime::CycleReport report;
    report.add_number("sources", s.sources);
    report.add_number("sources_failed", s.sources_failed);
    report.add_number("api_urls", s.api_urls);
    report.add_number("events_scanned", s.events_scanned);
    report.add_number("event_urls", s.event_urls);
    report.add_number("invalid", s.invalid);
    report.add_number("refused", s.refused);
    report.add_number("new_relays", s.new_relays);
    if (s.missed_entries) report.add_number("missed_entries", s.missed_entries);
    if (s.interrupted) report.add("interrupted", "true");
    co_return report;
}

}  // namespace brotr::services
