#include "services/nip66_publish.hpp"

#include <boost/asio/strand.hpp>
#include <memory>
#include <mutex>

#include "net/net_error.hpp"
#include "services/canonical_json_walk.hpp"
#include "services/monitor_workers.hpp"

namespace asio = boost::asio;

namespace brotr::services {

namespace {

namespace jw = json_walk;

// NIP-66 R tags from the NIP-11 limitation object: boolean flags only.
void add_requirement_tags(const Nip11& nip11, Tags& tags) {
    if (!nip11.limitation) return;
    auto members = jw::members(*nip11.limitation);
    if (!members) return;
    struct Flag {
        std::string_view key;
        std::string_view requirement;
    };
    static constexpr Flag kFlags[] = {
        {"auth_required", "auth"}, {"restricted_writes", "writes"}, {"payment_required", "payment"}};
    for (const Flag& flag : kFlags) {
        for (const auto& [key, value] : *members) {
            if (key != flag.key) continue;
            if (value == "true") tags.push_back({"R", std::string(flag.requirement)});
            if (value == "false") tags.push_back({"R", "!" + std::string(flag.requirement)});
        }
    }
    if (auto pow = min_pow_difficulty(nip11)) tags.push_back({"R", *pow > 0 ? "pow" : "!pow"});
}

}  // namespace

Event make_relay_discovery_event(const RelayUrl& relay, const Nip66& nip66, const Nip11Document* nip11,
                                 std::int64_t created_at) {
    Event event;
    event.kind = kRelayDiscoveryKind;
    event.created_at = created_at;
    event.tags.push_back({"d", relay.str()});
    event.tags.push_back({"n", std::string(to_string(relay.network()))});
    if (nip66.rtt_open) event.tags.push_back({"rtt-open", std::to_string(*nip66.rtt_open)});
    if (nip66.rtt_read) event.tags.push_back({"rtt-read", std::to_string(*nip66.rtt_read)});
    if (nip66.rtt_write) event.tags.push_back({"rtt-write", std::to_string(*nip66.rtt_write)});
    if (nip11) {
        for (int nip : supported_nip_numbers(nip11->fields)) event.tags.push_back({"N", std::to_string(nip)});
        add_requirement_tags(nip11->fields, event.tags);
        event.content = nip11->canonical_json;
    }
    return event;
}

Event make_monitor_announcement(const MonitorAnnouncement& announcement, std::int64_t created_at) {
    Event event;
    event.kind = kMonitorAnnouncementKind;
    event.created_at = created_at;
    event.tags.push_back({"frequency", std::to_string(announcement.frequency_seconds)});
    std::vector<std::string> checks = {"open", "read"};
    if (announcement.write_check) checks.push_back("write");
    checks.push_back("nip11");
    const std::string timeout = std::to_string(announcement.timeout_ms);
    for (const std::string& check : checks) event.tags.push_back({"timeout", timeout, check});
    for (const std::string& check : checks) event.tags.push_back({"c", check});
    return event;
}

namespace {

struct Counts {
    std::mutex mutex;
    PublishSummary summary;
};

asio::awaitable<void> publish_to_relay(asio::any_io_executor executor, RelayUrl relay,
                                       const std::vector<Event>& events, PublishOptions options,
                                       std::shared_ptr<Counts> counts) {
    options.session.websocket.connect.set_timeouts(options.timeout);
    options.session.request_timeout = options.timeout;
    std::optional<net::RelaySession> session;
    std::string error;
    try {
        session.emplace(co_await net::RelaySession::connect(executor, relay, options.session));
    } catch (const net::NetError& e) {
        error = e.what();
    }
    if (!session) {
        std::lock_guard lock(counts->mutex);
        counts->summary.failed += events.size();
        counts->summary.errors.push_back(relay.str() + ": " + error);
        co_return;
    }
    {
        std::lock_guard lock(counts->mutex);
        ++counts->summary.relays_connected;
    }
    // The workers share one strand, so the index needs no lock.
    auto strand = asio::make_strand(executor);
    std::size_t next = 0;
    std::size_t accepted = 0, rejected = 0, failed = 0;
    const std::size_t workers = std::max<std::size_t>(1, std::min(options.in_flight, events.size()));
    co_await run_all(strand, workers, [&](std::size_t) -> asio::awaitable<void> {
        while (next < events.size()) {
            const Event& event = events[next++];
            net::PublishResult r = co_await session->publish(event, options.timeout);
            if (r.status == net::PublishStatus::accepted) ++accepted;
            else if (r.status == net::PublishStatus::rejected) ++rejected;
            else ++failed;
        }
    });
    co_await session->close();
    std::lock_guard lock(counts->mutex);
    counts->summary.accepted += accepted;
    counts->summary.rejected += rejected;
    counts->summary.failed += failed;
}

}  // namespace

asio::awaitable<PublishSummary> publish_events(asio::any_io_executor executor, const std::vector<RelayUrl>& relays,
                                               const std::vector<Event>& events, PublishOptions options) {
    auto counts = std::make_shared<Counts>();
    counts->summary.relays = relays.size();
    if (!events.empty()) {
        co_await run_all(executor, relays.size(), [&](std::size_t i) {
            return publish_to_relay(executor, relays[i], events, options, counts);
        });
    }
    co_return std::move(counts->summary);
}

}  // namespace brotr::services
