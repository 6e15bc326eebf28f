#include "services/relay_sync.hpp"

#include <algorithm>
#include <exception>
#include <utility>
#include <vector>

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>

#include "net/net_error.hpp"
#include "net/relay_session.hpp"
#include "runtime/blocking.hpp"
#include "runtime/shutdown.hpp"
#include "util/clock.hpp"

namespace asio = boost::asio;

// GCC 12 takes asio's recycled coroutine frames (allocated with
// aligned_alloc, released by awaitable_frame_base::operator delete, which
// frees them the matching way) for a mismatched new/delete once it inlines
// the frame allocation into this file's coroutines: a false positive.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

using namespace boost::asio::experimental::awaitable_operators;

namespace brotr::services {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Verifies (what the store does not hold yet) and stores one answer's events
// with the relay link, on the store pool.
// What one store job did and how long it took.
struct Stored {
    InsertResult result;
    Clock::duration took{};
};

asio::awaitable<Stored> store_events(const RelaySyncContext& context, const RelayUrl& relay,
                                     std::vector<Event> events) {
    // Named rather than built inside the co_await expression: GCC 12
    // destroys some temporaries of co_await operands twice.
    auto job = [&context, &relay, events = std::move(events)]() mutable {
        const auto started = Clock::now();
        const std::int64_t seen_at = unix_now();
        std::vector<EventWithRelay> items;
        items.reserve(events.size());
        for (auto& e : events) items.push_back(EventWithRelay{std::move(e), &relay, seen_at, false});
        InsertOptions options;
        options.verify = true;
        // Durable with the next synced write: the state that advances the
        // relay's timestamp is written synced after these events.
        options.sync = false;
        Stored stored{context.store->insert_events(items, options), {}};
        stored.result.outcomes.clear();  // per-item details are not needed past this point
        stored.result.errors.clear();
        stored.took = Clock::now() - started;
        return stored;
    };
    Stored stored = co_await runtime::run_blocking(*context.store_pool, std::move(job));
    co_return stored;
}

void add(RelaySyncResult& r, const Stored& stored) {
    const InsertResult& inserted = stored.result;
    r.store_time += stored.took;
    r.stored += inserted.stored;
    r.duplicates += inserted.duplicates;
    r.links_added += inserted.links_added;
    for (std::size_t i = 0; i < kEventErrorCount; ++i) r.invalid[i] += inserted.invalid[i];
}

void fail(RelaySyncResult& r, std::string category, std::string detail) {
    if (!r.failure.empty()) return;  // the first failure is the cause
    r.failure = std::move(category);
    r.failure_detail = std::move(detail);
}

}  // namespace

asio::awaitable<RelaySyncResult> sync_relay(const RelaySyncContext& context, const RelayTarget& target,
                                            TimeWindow window) {
    RelaySyncResult r;
    r.window = window;
    const auto started = Clock::now();
    const auto deadline = started + target.relay_timeout;
    // Every step is bounded by the request timeout and by what is left of the relay timeout.
    auto step_timeout = [&] {
        return std::min(target.request_timeout, std::chrono::duration_cast<milliseconds>(deadline - Clock::now()));
    };

    WindowFetcher fetcher(window, context.fetch);
    try {
        net::SessionOptions options;
        options.request_timeout = target.request_timeout;
        // The store recognises events it holds before verifying them, so
        // duplicates cost a lookup rather than a Schnorr check, and the
        // checks run on the store pool rather than on this session's I/O thread.
        options.verify_events = false;
        auto& connect = options.websocket.connect;
        connect.set_timeouts(step_timeout());
        if (target.from_config) {
            connect.address_policy.reset();
        } else {
            connect.address_policy = context.address_policy;
        }
        connect.socks5 = context.socks5;
        connect.proxy_use = net::ProxyUse::onion_only;
        connect.tls = context.tls;

        auto executor = co_await asio::this_coro::executor;
        net::RelaySession session = co_await net::RelaySession::connect(executor, target.url, std::move(options));

        std::vector<Event> ready;  // complete events waiting to be stored
        while (auto w = fetcher.next()) {
            if (context.shutdown != nullptr && context.shutdown->requested()) {
                fail(r, "shutdown", "stop requested");
                break;
            }
            const milliseconds timeout = step_timeout();
            if (timeout.count() <= 0) {
                fail(r, "relay_timeout", "relay timeout of " + std::to_string(target.relay_timeout.count()) + " ms");
                break;
            }
            Filter filter = context.filter;
            filter.since = w->since;
            filter.until = w->until;
            filter.limit = context.fetch.limit;
            net::QueryOptions query_options;
            query_options.timeout = timeout;

            net::QueryResult answer;
            if (ready.empty()) {
                answer = co_await session.query(std::move(filter), query_options);
            } else {
                // Store the previous answer while the relay prepares the next one.
                auto storing = store_events(context, target.url, std::move(ready));
                auto querying = session.query(std::move(filter), query_options);
                auto [inserted, next_answer] = co_await (std::move(storing) && std::move(querying));
                add(r, inserted);
                answer = std::move(next_answer);
                ready.clear();
            }
            r.drops += answer.drops;
            r.events_received += answer.events.size();
            r.relay_time += answer.elapsed;
            if (!answer.complete()) {
                fail(r, std::string(net::to_string(answer.end)), answer.message);
                // A partial answer still holds events of the window: worth keeping.
                ready = std::move(answer.events);
                break;
            }
            fetcher.accept(answer.events);
            ready = std::move(answer.events);
        }
        if (!ready.empty()) {
            Stored stored = co_await store_events(context, target.url, std::move(ready));
            add(r, stored);
        }
        if (r.failure.empty() && fetcher.status() == WindowFetcher::Status::done) {
            // A polite end, after which the session's own counters are final:
            // they also hold what no query was charged with (garbage frames,
            // messages for unknown subscriptions).
            co_await session.close();
            r.drops = session.stats().drops;
        }
    } catch (const net::NetError& e) {
        fail(r, "connect", e.what());
    } catch (const StoreError& e) {
        fail(r, "store", e.what());
    } catch (const std::exception& e) {
        fail(r, "error", e.what());
    }
    r.fetch = fetcher.stats();
    if (r.failure.empty()) {
        if (fetcher.status() == WindowFetcher::Status::done) {
            r.success = true;
        } else {
            fail(r, std::string(to_string(fetcher.status())),
                 "after " + std::to_string(r.fetch.requests) + " requests");
        }
    }
    r.elapsed = Clock::now() - started;
    co_return r;
}

}  // namespace brotr::services
