// The operations of a relay session and its read and write loops.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "brotr/hex.hpp"
#include "brotr/log.hpp"
#include "net/connect_timings.hpp"
#include "net/client_message.hpp"
#include "net/net_error.hpp"
#include "net/relay_session_impl.hpp"

namespace asio = boost::asio;

namespace brotr::net {

namespace {


// How long to wait for a challenge after a refusal that mentions auth.
constexpr std::chrono::milliseconds kChallengeGrace{2'000};

// A message received after a large one would otherwise keep its buffer.
constexpr std::size_t kKeptFrameCapacity = 1024 * 1024;

template <class Item>
struct Registration {
    // Unregisters on every exit path, including the coroutine being destroyed.
    std::vector<Item*>& list;
    Item* item;
    ~Registration() { std::erase(list, item); }
};

}  // namespace

asio::awaitable<void> Waiter::wait_until(Clock::time_point deadline) {
    timer_.expires_at(deadline);
    auto [ec] = co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
    (void)ec;  // cancelled means woken; the caller re-checks its condition either way
}

RelaySession::Impl::Impl(asio::any_io_executor strand_executor, RelayUrl relay_url, SessionOptions session_options)
    : strand(std::move(strand_executor)), url(std::move(relay_url)), options(std::move(session_options)) {}

void RelaySession::Impl::send(std::string message) {
    if (!open) return;
    outbox_.push_back(std::move(message));
    if (!writing_) {
        writing_ = true;
        asio::co_spawn(strand, write_loop(shared_from_this()), asio::detached);
    }
}

asio::awaitable<void> RelaySession::Impl::write_loop(std::shared_ptr<Impl> self) {
    try {
        while (self->open && !self->outbox_.empty()) {
            std::string message = std::move(self->outbox_.front());
            self->outbox_.pop_front();
            co_await self->ws->write(message);
        }
    } catch (const std::exception& e) {
        self->shutdown(e.what());
    }
    self->outbox_.clear();
    self->writing_ = false;
}

asio::awaitable<void> RelaySession::Impl::read_loop(std::shared_ptr<Impl> self) {
    std::string frame;
    try {
        while (self->open) {
            MessageKind kind = co_await self->ws->read(frame);
            self->handle(kind, frame);
            if (frame.capacity() > kKeptFrameCapacity) std::string().swap(frame);
        }
    } catch (const std::exception& e) {
        self->shutdown(e.what());
    }
}

void RelaySession::Impl::shutdown(const std::string& reason) {
    if (finished_) return;
    finished_ = true;
    open = false;
    if (end_reason.empty()) end_reason = reason;
    log::debug("net", "relay_disconnected", {{"relay", url.str()}, {"reason", reason}});
    if (ws) ws->abort();
    std::vector<Subscription*> subs;
    for (auto& [id, sub] : subscriptions_) subs.push_back(sub);
    for (auto* sub : subs) complete(*sub, QueryEnd::disconnected, end_reason);
    for (auto* pub : std::vector<PendingPublish*>(publishes_)) complete(*pub, PublishStatus::disconnected, end_reason);
    wake_auth_waiters();
}

void RelaySession::Impl::complete(Subscription& sub, QueryEnd end, std::string message) {
    if (sub.done) return;
    sub.done = true;
    sub.result.end = end;
    sub.result.message = std::move(message);
    subscriptions_.erase(sub.id);
    if (sub.waiter) sub.waiter->wake();
}

void RelaySession::Impl::complete(PendingPublish& pub, PublishStatus status, std::string message) {
    if (pub.done) return;
    pub.done = true;
    pub.result.status = status;
    pub.result.message = std::move(message);
    if (status == PublishStatus::accepted || status == PublishStatus::rejected) pub.result.rtt = since(pub.sent_at);
    if (pub.waiter) pub.waiter->wake();
}

void RelaySession::Impl::wake_auth_waiters() {
    for (auto* w : auth_waiters_) w->wake();
}

bool RelaySession::Impl::auth_may_help(const std::string& refusal, AuthState state_when_sent) const {
    if (!options.auth_signer || state_when_sent == AuthState::authenticated) return false;
    return refusal.starts_with("auth-required:") || refusal.starts_with("restricted:");
}

asio::awaitable<AuthState> RelaySession::Impl::settle_auth(Clock::time_point deadline) {
    Waiter waiter(strand);
    auth_waiters_.push_back(&waiter);
    Registration<Waiter> registration{auth_waiters_, &waiter};
    const auto grace_end = std::min(deadline, Clock::now() + kChallengeGrace);
    while (open) {
        if (auth == AuthState::pending) {
            if (Clock::now() >= deadline) break;
            co_await waiter.wait_until(deadline);
        } else if (auth == AuthState::none) {
            if (Clock::now() >= grace_end) break;
            co_await waiter.wait_until(grace_end);
        } else {
            break;
        }
    }
    co_return auth;
}

asio::awaitable<QueryResult> RelaySession::Impl::run_query(std::vector<Filter> filters, QueryOptions query_options) {
    auto self = shared_from_this();
    const auto timeout = query_options.timeout.count() > 0 ? query_options.timeout : options.request_timeout;
    const auto start = Clock::now();
    const auto deadline = start + timeout;

    Subscription sub;
    sub.filters = std::move(filters);
    sub.verify = query_options.verify_events.value_or(options.verify_events);
    if (query_options.max_events) {
        sub.max_events = *query_options.max_events;
    } else {
        std::size_t sum = 0;
        bool all_limited = !sub.filters.empty();
        for (const auto& f : sub.filters) {
            if (f.limit) sum += *f.limit; else all_limited = false;
        }
        sub.max_events = all_limited ? sum : options.max_events_per_query;
    }
    Waiter waiter(strand);
    sub.waiter = &waiter;

    bool retried = false;
    for (;;) {
        if (!open) {
            sub.result.end = QueryEnd::disconnected;
            sub.result.message = end_reason;
            break;
        }
        sub.id = "brotr-" + std::to_string(next_subscription_++);
        sub.done = false;
        subscriptions_[sub.id] = &sub;
        struct Unregister {
            std::unordered_map<std::string, Subscription*>& map;
            Subscription& sub;
            ~Unregister() {
                if (auto it = map.find(sub.id); it != map.end() && it->second == &sub) map.erase(it);
            }
        } unregister{subscriptions_, sub};

        const AuthState auth_when_sent = auth;
        sub.sent_at = Clock::now();
        send(req_message(sub.id, sub.filters));
        while (!sub.done && Clock::now() < deadline) co_await waiter.wait_until(deadline);
        if (!sub.done) {
            subscriptions_.erase(sub.id);
            send(close_message(sub.id));
            remember_closed(sub.id);
            sub.result.end = QueryEnd::timeout;
            sub.result.message = "no EOSE within " + std::to_string(timeout.count()) + " ms";
            break;
        }
        if (sub.result.end == QueryEnd::closed && !retried && auth_may_help(sub.result.message, auth_when_sent)) {
            retried = true;
            if (co_await settle_auth(deadline) == AuthState::authenticated) {
                sub.result.events.clear();
                sub.seen.clear();
                continue;
            }
        }
        break;
    }
    sub.result.elapsed = since(start);
    co_return std::move(sub.result);
}

asio::awaitable<PublishResult> RelaySession::Impl::run_publish(Event event, std::chrono::milliseconds timeout) {
    auto self = shared_from_this();
    if (timeout.count() <= 0) timeout = options.request_timeout;
    const auto deadline = Clock::now() + timeout;
    const std::string message = event_message(event);

    PendingPublish pub;
    pub.id_hex = to_hex(event.id);
    Waiter waiter(strand);
    pub.waiter = &waiter;
    bool retried = false;
    for (;;) {
        if (!open) {
            pub.result.status = PublishStatus::disconnected;
            pub.result.message = end_reason;
            break;
        }
        pub.done = false;
        publishes_.push_back(&pub);
        Registration<PendingPublish> registration{publishes_, &pub};
        const AuthState auth_when_sent = auth;
        pub.sent_at = Clock::now();
        send(message);
        while (!pub.done && Clock::now() < deadline) co_await waiter.wait_until(deadline);
        if (!pub.done) {
            pub.result.status = PublishStatus::timeout;
            pub.result.message = "no OK within " + std::to_string(timeout.count()) + " ms";
            break;
        }
        if (pub.result.status == PublishStatus::rejected && !retried &&
            auth_may_help(pub.result.message, auth_when_sent)) {
            retried = true;
            if (co_await settle_auth(deadline) == AuthState::authenticated) continue;
        }
        break;
    }
    co_return pub.result;
}

asio::awaitable<AuthState> RelaySession::Impl::run_wait_for_auth(std::chrono::milliseconds timeout) {
    auto self = shared_from_this();
    const auto deadline = Clock::now() + timeout;
    Waiter waiter(strand);
    auth_waiters_.push_back(&waiter);
    Registration<Waiter> registration{auth_waiters_, &waiter};
    while (open && (auth == AuthState::none || auth == AuthState::pending) && Clock::now() < deadline) {
        co_await waiter.wait_until(deadline);
    }
    co_return auth;
}

asio::awaitable<void> RelaySession::Impl::run_close() {
    auto self = shared_from_this();
    if (!open) co_return;
    open = false;  // nothing more is sent
    end_reason = "closed by this client";
    co_await ws->close();
    shutdown(end_reason);
}

}  // namespace brotr::net
