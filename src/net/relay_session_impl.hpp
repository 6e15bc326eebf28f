// The state behind a RelaySession (internal to src/net). Everything here runs
// on the session's strand: the read loop, the write loop, and the bodies of
// the public operations, which the public methods co_spawn onto the strand.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "brotr/bytes32_hash.hpp"
#include "net/relay_message.hpp"
#include "net/relay_session.hpp"

namespace brotr::net {

using Clock = std::chrono::steady_clock;

// Parks a coroutine until wake() or a deadline; a timer serves as the
// condition variable (everything runs on one strand, so no lock).
class Waiter {
public:
    explicit Waiter(const boost::asio::any_io_executor& ex) : timer_(ex) {}
    boost::asio::awaitable<void> wait_until(Clock::time_point deadline);
    void wake() { timer_.cancel(); }

private:
    boost::asio::steady_timer timer_;
};


class RelaySession::Impl : public std::enable_shared_from_this<RelaySession::Impl> {
public:
    Impl(boost::asio::any_io_executor strand, RelayUrl url, SessionOptions options);

    boost::asio::awaitable<QueryResult> run_query(std::vector<Filter> filters, QueryOptions query_options);
    boost::asio::awaitable<PublishResult> run_publish(Event event, std::chrono::milliseconds timeout);
    boost::asio::awaitable<AuthState> run_wait_for_auth(std::chrono::milliseconds timeout);
    boost::asio::awaitable<void> run_close();
    static boost::asio::awaitable<void> read_loop(std::shared_ptr<Impl> self);
    // Ends the connection and every pending operation; idempotent.
    void shutdown(const std::string& reason);

    boost::asio::any_io_executor strand;
    RelayUrl url;
    SessionOptions options;
    std::unique_ptr<WebSocket> ws;
    bool open = false;
    std::string end_reason;
    SessionStats stats;
    AuthState auth = AuthState::none;

private:
    struct Subscription {
        std::string id;
        std::vector<Filter> filters;
        std::size_t max_events = 0;
        bool verify = true;
        Clock::time_point sent_at;
        QueryResult result;
        std::unordered_set<Bytes32, Bytes32Hash> seen;
        bool done = false;
        Waiter* waiter = nullptr;
    };
    struct PendingPublish {
        std::string id_hex;
        Clock::time_point sent_at;
        PublishResult result;
        bool done = false;
        Waiter* waiter = nullptr;
    };

    void send(std::string message);
    static boost::asio::awaitable<void> write_loop(std::shared_ptr<Impl> self);

    void handle(MessageKind kind, std::string_view frame);
    void on_event(const RelayMessage& m);
    void on_eose(const RelayMessage& m);
    void on_closed(const RelayMessage& m);
    void on_ok(const RelayMessage& m);
    void on_auth(const RelayMessage& m);
    void drop(DropReason reason, Subscription* sub = nullptr);
    void complete(Subscription& sub, QueryEnd end, std::string message);
    void complete(PendingPublish& pub, PublishStatus status, std::string message);
    void wake_auth_waiters();

    // Whether a refusal could be lifted by NIP-42 authentication we can do.
    bool auth_may_help(const std::string& refusal, AuthState state_when_sent) const;
    // Waits for the AUTH exchange to settle; a challenge not yet received is
    // given a short grace period, as relays send it right after the refusal.
    boost::asio::awaitable<AuthState> settle_auth(Clock::time_point deadline);

    // Remembers the subscriptions this client closed, so a relay confirming
    // a CLOSE with CLOSED (some do) is not counted as a drop.
    void remember_closed(const std::string& id);
    bool recently_closed(const std::string& id) const;

    std::unordered_map<std::string, Subscription*> subscriptions_;
    std::deque<std::string> recently_closed_;
    std::vector<PendingPublish*> publishes_;
    std::vector<Waiter*> auth_waiters_;
    std::string auth_event_id_;
    std::deque<std::string> outbox_;
    bool writing_ = false;
    bool finished_ = false;  // shutdown() has run
    std::uint64_t next_subscription_ = 0;
    RelayMessage message_;  // reused for every incoming message
};

}  // namespace brotr::net
