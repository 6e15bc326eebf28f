// A NIP-01 session with one relay over one WebSocket: queries (REQ until
// EOSE, CLOSED or a timeout), publishing (EVENT until OK), NIP-42 AUTH.
//
//   auto session = co_await RelaySession::connect(executor, url, options);
//   QueryResult r = co_await session.query(filter);          // r.end == QueryEnd::eose
//   PublishResult p = co_await session.publish(signed_event); // p.status == PublishStatus::accepted
//
// Replies are untrusted: malformed messages, invalid events, wrong ids, bad
// signatures, events the filter did not ask for, events past the limit,
// duplicates and messages for unknown subscriptions are counted (per query
// and per session) and dropped. Nothing a relay sends can block a caller
// longer than the request timeout; a relay that keeps sending garbage is
// disconnected. The session reads continuously (answering pings, AUTH
// challenges) on its own strand, so it may be used from any coroutine, and
// several queries may run at once.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "brotr/event.hpp"
#include "brotr/relay_url.hpp"
#include "net/connect_timings.hpp"
#include "brotr/filter.hpp"
#include "net/net_error.hpp"
#include "net/session_stats.hpp"
#include "net/websocket.hpp"

namespace brotr::net {

// Signs an event in place: sets pubkey, id and sig for the configured keys.
// Returns false when it cannot.
using EventSigner = std::function<bool(Event&)>;

// A signer with this secret key (brotr/keys.hpp), e.g. for NIP-42 answers.
EventSigner signer_for(const Bytes32& secret_key);

struct SessionOptions {
    WebSocketOptions websocket{};
    // Default limit on one query or publish (REQ to EOSE, EVENT to OK).
    std::chrono::milliseconds request_timeout{30'000};
    // Check each event's id and signature before handing it out. Callers that
    // deduplicate against a store before verifying turn this off and verify
    // themselves (off the I/O threads).
    bool verify_events = true;
    // Cap on events per query when its filters carry no limit.
    std::size_t max_events_per_query = 10'000;
    // A relay sending more invalid messages than this is disconnected.
    std::uint64_t max_invalid_messages = 10'000;
    // Answers NIP-42 AUTH challenges when set; otherwise they are counted and
    // the session goes on unauthenticated.
    EventSigner auth_signer{};
};

enum class QueryEnd : std::uint8_t {
    eose,          // the relay sent all stored events it will send
    closed,        // the relay refused or ended the subscription (message says why)
    timeout,       // no EOSE within the timeout; events so far are kept
    disconnected,  // the connection ended (message says why)
};
std::string_view to_string(QueryEnd e);

struct QueryOptions {
    std::chrono::milliseconds timeout{0};   // 0: the session's request timeout
    std::optional<std::size_t> max_events{};  // default: the filters' limits, else the session cap
    std::optional<bool> verify_events{};      // default: the session option
};

struct QueryResult {
    std::vector<Event> events;  // in the order received, each matching a filter
    QueryEnd end = QueryEnd::disconnected;
    std::string message;        // CLOSED reason or why the connection ended
    // From sending REQ to the first EVENT, EOSE or CLOSED of this subscription.
    std::optional<std::chrono::microseconds> first_reply;
    std::chrono::microseconds elapsed{0};
    DropCounts drops;
    bool complete() const { return end == QueryEnd::eose; }
};

enum class PublishStatus : std::uint8_t { accepted, rejected, timeout, disconnected };
std::string_view to_string(PublishStatus s);

struct PublishResult {
    PublishStatus status = PublishStatus::disconnected;
    std::string message;                       // the relay's OK message, or why none came
    std::optional<std::chrono::microseconds> rtt;  // from sending EVENT to OK
};

enum class AuthState : std::uint8_t {
    none,           // no challenge received
    unanswered,     // challenged, no signer configured
    pending,        // answered, waiting for OK
    authenticated,  // OK true
    rejected,       // OK false, or the signer failed
};
std::string_view to_string(AuthState s);

class RelaySession {
public:
    // Opens the WebSocket (see WebSocket::connect) and starts reading. Throws NetError.
    static boost::asio::awaitable<RelaySession> connect(boost::asio::any_io_executor executor, RelayUrl url,
                                                        SessionOptions options);

    RelaySession(RelaySession&&) noexcept;
    RelaySession& operator=(RelaySession&&) noexcept;
    ~RelaySession();  // drops the connection without a closing handshake

    boost::asio::awaitable<QueryResult> query(Filter filter, QueryOptions options = {});
    boost::asio::awaitable<QueryResult> query(std::vector<Filter> filters, QueryOptions options = {});
    // `timeout` 0: the session's request timeout.
    boost::asio::awaitable<PublishResult> publish(Event event, std::chrono::milliseconds timeout = {});
    // Waits until a NIP-42 exchange under way settles (or the timeout passes).
    boost::asio::awaitable<AuthState> wait_for_auth(std::chrono::milliseconds timeout);
    // Closing handshake; pending queries end as disconnected.
    boost::asio::awaitable<void> close();

    // These read state the session's strand writes: call them between
    // operations, not while one is running on another thread.
    bool connected() const;
    const RelayUrl& url() const;
    const ConnectTimings& connect_timings() const;
    bool compressed() const;  // permessage-deflate in use
    const SessionStats& stats() const;
    AuthState auth_state() const;

    class Impl;

private:
    explicit RelaySession(std::shared_ptr<Impl> impl);
    std::shared_ptr<Impl> impl_;
};

}  // namespace brotr::net
