#include "test_sync_support.hpp"

#include <algorithm>
#include <limits>
#include <thread>

#include <nlohmann/json.hpp>

#include "runtime/shutdown.hpp"
#include "services/sync_state.hpp"

namespace asio = boost::asio;

namespace brotr::test {

SynchronizerConfig sync_config(const std::vector<std::string>& override_urls, std::uint32_t limit) {
    SynchronizerConfig c;
    c.overrides.clear();
    for (const auto& url : override_urls) {
        auto parsed = RelayUrl::parse(url);
        if (!parsed) throw std::runtime_error("bad test relay URL " + url);
        c.overrides.push_back({*parsed, std::nullopt, std::nullopt});
    }
    c.concurrency.stagger_delay_min = 0;
    c.concurrency.stagger_delay_max = 0;
    c.concurrency.max_parallel = 4;
    c.concurrency.max_processes = 2;
    c.timeouts.clearnet = {10, 300};
    c.filter.limit = limit;
    c.time_range.default_start = 0;
    c.time_range.lookback_seconds = 3600;
    c.tor.enabled = false;
    return c;
}

std::uint64_t CycleFields::number(const std::string& key) const {
    auto it = fields.find(key);
    return it == fields.end() ? 0 : std::stoull(it->second);
}

std::string CycleFields::text() const {
    std::string out;
    for (const auto& [k, v] : fields) out += k + "=" + v + " ";
    return out;
}

SyncHarness::SyncHarness(SynchronizerConfig config, AddressPolicy policy, StoreVariant variant)
    : config_(std::move(config)), policy_(policy) {
    store_.emplace(Store::init((dir_.path() / "store").string(), variant));
    reconfigure(config_);
}

SyncHarness::~SyncHarness() { sync_.reset(); }

void SyncHarness::reconfigure(SynchronizerConfig config) {
    config_ = std::move(config);
    sync_.reset();
    services::SynchronizerOptions options;
    options.clock = [this] {
        const std::int64_t fixed = now_.load();
        if (fixed != 0) return fixed;
        return static_cast<std::int64_t>(
            std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
                .count());
    };
    options.store_threads = 2;
    sync_ = std::make_unique<services::Synchronizer>(*store_, config_, policy_, options);
}

namespace {
CycleFields to_fields(const runtime::CycleReport& report) {
    CycleFields f;
    for (const auto& [k, v] : report.fields) f.fields[k] = v;
    return f;
}
}  // namespace

CycleFields SyncHarness::run_cycle(std::chrono::seconds limit) {
    runtime::Shutdown shutdown;
    auto report = run_async<runtime::CycleReport>(
        [&](asio::any_io_executor) { return sync_->run_cycle(shutdown); }, limit, 2);
    return to_fields(report);
}

CycleFields SyncHarness::run_cycle_interrupted(std::chrono::milliseconds after) {
    runtime::Shutdown shutdown;
    std::thread stopper([&] {
        std::this_thread::sleep_for(after);
        shutdown.request();
    });
    runtime::CycleReport report;
    try {
        report = run_async<runtime::CycleReport>(
            [&](asio::any_io_executor) { return sync_->run_cycle(shutdown); }, std::chrono::seconds(120), 2);
    } catch (...) {
        stopper.join();
        throw;
    }
    stopper.join();
    return to_fields(report);
}

std::optional<std::int64_t> SyncHarness::saved_timestamp(const std::string& url) {
    auto saved = store_->get_service_state(services::Synchronizer::kName);
    if (!saved) return std::nullopt;
    auto state = services::SyncState::from_json(saved->state_json);
    if (!state) return std::nullopt;
    return state->timestamp(url);
}

// ---- ScriptedRelay ----

ScriptedRelay::ScriptedRelay(ScriptedRelayOptions options) : options_(std::move(options)) {
    std::stable_sort(options_.events.begin(), options_.events.end(),
                     [](const Event& a, const Event& b) { return a.created_at > b.created_at; });
    server_ = std::make_unique<FakeServer>([this](FakePeer& peer) { serve(peer); });
}

void ScriptedRelay::serve(FakePeer& peer) {
    peer.accept_websocket(false);
    const std::size_t connection = ++connection_count_;
    std::size_t requests_here = 0;
    while (auto message = peer.read_message()) {
        auto j = nlohmann::json::parse(*message, nullptr, false);
        if (!j.is_array() || j.size() < 3 || j[0] != "REQ" || !j[1].is_string() || !j[2].is_object()) continue;
        ++requests_;
        ++requests_here;
        {
            std::lock_guard lock(mutex_);
            reqs_.push_back(*message);
        }
        if (options_.drop_first_connection_at_req != 0 && connection == 1 &&
            requests_here == options_.drop_first_connection_at_req)
            return;
        if (options_.stall_after_reqs != 0 && requests_here > options_.stall_after_reqs) {
            peer.stall(std::chrono::minutes(10));
            return;
        }
        const std::string sub = j[1].get<std::string>();
        const auto& filter = j[2];
        const std::int64_t since = filter.value("since", std::int64_t{0});
        const std::int64_t until = filter.value("until", std::numeric_limits<std::int64_t>::max());
        const std::size_t limit = filter.value("limit", options_.cap);
        std::vector<std::string> frames;
        for (const auto& e : options_.events) {
            if (frames.size() >= std::min(limit, options_.cap)) break;
            if (e.created_at >= since && e.created_at <= until) frames.push_back(event_frame(sub, e));
        }
        if (options_.tamper) options_.tamper(sub, since, until, limit, frames);
        if (options_.delay_per_answer.count() > 0) std::this_thread::sleep_for(options_.delay_per_answer);
        for (const auto& f : frames) peer.send_text(f);
        peer.send_text(nlohmann::json::array({"EOSE", sub}).dump());
    }
}

std::vector<std::string> ScriptedRelay::received_reqs() const {
    std::lock_guard lock(mutex_);
    return reqs_;
}

std::vector<Event> signed_events(std::size_t count, std::int64_t start, std::size_t per_second, std::uint8_t key_seed) {
    std::vector<Event> events;
    events.reserve(count);
    for (std::size_t i = 0; i < count; ++i)
        events.push_back(make_signed_event(key_seed, start + static_cast<std::int64_t>(i / per_second), 1,
                                           "event " + std::to_string(i)));
    return events;
}

}  // namespace brotr::test
