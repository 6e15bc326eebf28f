#include "services/nip66_probe.hpp"

#include <algorithm>
#include <atomic>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <ctime>
#include <stdexcept>
#include <limits>
#include <memory>

#include "net/net_error.hpp"
#include "util/clock.hpp"
#include "runtime/blocking.hpp"

namespace asio = boost::asio;

namespace brotr::services {

namespace {

using std::chrono::milliseconds;

bool refused_before_traffic(net::Failure f) {
    return f == net::Failure::address_refused || f == net::Failure::tor_disabled || f == net::Failure::invalid_url;
}

// Mines and signs off the I/O threads; mining stops when the deadline passes.
asio::awaitable<bool> sign_test_event(Event& event, const WriteTestSigning& signing, ProbeClock::time_point deadline) {
    if (signing.pow_difficulty <= 0) {
        sign_event(event, signing.secret);
        co_return true;
    }
    // Mining must not run on this executor: its timer has to fire meanwhile.
    if (signing.mining_pool == nullptr) throw std::invalid_argument("WriteTestSigning: no mining pool");
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    if (signing.cancellation) signing.cancellation->add(cancel);
    auto here = co_await asio::this_coro::executor;
    asio::steady_timer timer(here, deadline);
    timer.async_wait([cancel](const boost::system::error_code& ec) {
        if (!ec) cancel->store(true);
    });
    // The job owns what it uses: an abandoned probe may be destroyed while it
    // runs. It is a named local, not a temporary inside the co_await: GCC 12
    // destroys such temporaries twice, which freed the shared event early.
    auto work = std::make_shared<Event>(event);
    auto mine = [work, cancel, secret = signing.secret, difficulty = signing.pow_difficulty] {
        MineOptions options;
        options.cancel = cancel.get();
        return sign_event_with_pow(*work, secret, difficulty, options);
    };
    const bool mined = co_await runtime::run_blocking(*signing.mining_pool, std::move(mine));
    timer.cancel();
    if (mined) event = std::move(*work);
    co_return mined;
}

}  // namespace

void MiningCancellation::add(const std::shared_ptr<std::atomic<bool>>& flag) {
    std::lock_guard lock(mutex_);
    if (stopped_) flag->store(true);
    std::erase_if(flags_, [](const std::weak_ptr<std::atomic<bool>>& f) { return f.expired(); });
    flags_.push_back(flag);
}

void MiningCancellation::stop_all() {
    std::lock_guard lock(mutex_);
    stopped_ = true;
    for (const auto& weak : flags_) {
        if (auto flag = weak.lock()) flag->store(true);
    }
}

std::optional<milliseconds> ProbeTiming::next_step() const {
    const auto now = ProbeClock::now();
    if (now >= deadline) return std::nullopt;
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - now);
    return std::max(milliseconds(1), std::min(timeout, left));
}

std::int32_t rtt_milliseconds(std::chrono::microseconds elapsed) {
    const auto us = std::max<std::int64_t>(elapsed.count(), 0);
    const std::int64_t ms = std::max<std::int64_t>(1, (us + 999) / 1000);
    return static_cast<std::int32_t>(std::min<std::int64_t>(ms, std::numeric_limits<std::int32_t>::max()));
}

asio::awaitable<OpenOutcome> open_test(asio::any_io_executor executor, const RelayUrl& relay,
                                       net::SessionOptions options, const ProbeTiming& timing) {
    OpenOutcome outcome;
    auto step = timing.next_step();
    if (!step) {
        outcome.error = "no time left";
        co_return outcome;
    }
    options.websocket.connect.set_timeouts(*step);
    options.request_timeout = *step;
    try {
        net::RelaySession session = co_await net::RelaySession::connect(executor, relay, std::move(options));
        outcome.rtt_open = rtt_milliseconds(session.connect_timings().total());
        outcome.session.emplace(std::move(session));
    } catch (const net::NetError& e) {
        outcome.error = e.what();
        outcome.refused_locally = refused_before_traffic(e.failure());
    }
    co_return outcome;
}

asio::awaitable<ReadOutcome> read_test(net::RelaySession& session, const ProbeTiming& timing) {
    ReadOutcome outcome;
    auto step = timing.next_step();
    if (!step) {
        outcome.detail = "no time left";
        co_return outcome;
    }
    net::QueryOptions query;
    query.timeout = *step;
    query.max_events = 1;
    query.verify_events = false;  // only the reply's arrival matters here
    // Built apart from the co_await: GCC 12 mishandles braced initializers inside one.
    Filter filter;
    filter.limit = 1;
    net::QueryResult result = co_await session.query(std::move(filter), query);
    // The first reply was EVENT or EOSE: an event arrived, or the query ended with EOSE.
    outcome.readable = result.first_reply.has_value() &&
                       (result.end == net::QueryEnd::eose || !result.events.empty());
    if (outcome.readable) outcome.rtt_read = rtt_milliseconds(*result.first_reply);
    outcome.detail = std::string(net::to_string(result.end));
    if (!result.message.empty()) outcome.detail += ": " + result.message;
    co_return outcome;
}

Event make_write_test_event(const RelayUrl& relay, std::int64_t created_at) {
    Event event;
    event.kind = 30166;
    event.created_at = created_at;
    event.tags = {{"d", relay.str()}};
    event.content = "{}";
    return event;
}

asio::awaitable<WriteOutcome> write_test(net::RelaySession& session, const RelayUrl& relay,
                                         const WriteTestSigning& signing, const ProbeTiming& timing) {
    WriteOutcome outcome;
    Event event = make_write_test_event(relay, unix_now());
    if (!co_await sign_test_event(event, signing, timing.deadline)) {
        outcome.detail = "proof of work of difficulty " + std::to_string(signing.pow_difficulty) +
                         " not found in time";
        co_return outcome;
    }
    outcome.event = event;
    auto step = timing.next_step();
    if (!step) {
        outcome.detail = "no time left";
        co_return outcome;
    }
    net::PublishResult published = co_await session.publish(std::move(event), *step);
    outcome.writable = published.status == net::PublishStatus::accepted;
    if (outcome.writable && published.rtt) outcome.rtt_write = rtt_milliseconds(*published.rtt);
    outcome.detail = std::string(net::to_string(published.status));
    if (!published.message.empty()) outcome.detail += ": " + published.message;
    co_return outcome;
}

}  // namespace brotr::services
