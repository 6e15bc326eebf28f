// The public face of RelaySession: each operation runs on the session's strand.
#include "net/relay_session.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <stdexcept>

#include "net/relay_session_impl.hpp"

namespace asio = boost::asio;

namespace brotr::net {

std::string_view to_string(QueryEnd e) {
    switch (e) {
        case QueryEnd::eose: return "eose";
        case QueryEnd::closed: return "closed";
        case QueryEnd::timeout: return "timeout";
        case QueryEnd::disconnected: return "disconnected";
    }
    return "unknown";
}

std::string_view to_string(PublishStatus s) {
    switch (s) {
        case PublishStatus::accepted: return "accepted";
        case PublishStatus::rejected: return "rejected";
        case PublishStatus::timeout: return "timeout";
        case PublishStatus::disconnected: return "disconnected";
    }
    return "unknown";
}

std::string_view to_string(AuthState s) {
    switch (s) {
        case AuthState::none: return "none";
        case AuthState::unanswered: return "unanswered";
        case AuthState::pending: return "pending";
        case AuthState::authenticated: return "authenticated";
        case AuthState::rejected: return "rejected";
    }
    return "unknown";
}

asio::awaitable<RelaySession> RelaySession::connect(asio::any_io_executor executor, RelayUrl url,
                                                    SessionOptions options) {
    asio::any_io_executor strand = asio::make_strand(executor);
    auto impl = std::make_shared<Impl>(strand, url, std::move(options));
    impl->ws = co_await WebSocket::connect(strand, url, impl->options.websocket);
    impl->open = true;
    asio::co_spawn(strand, Impl::read_loop(impl), asio::detached);
    co_return RelaySession(std::move(impl));
}

RelaySession::RelaySession(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
RelaySession::RelaySession(RelaySession&&) noexcept = default;

RelaySession& RelaySession::operator=(RelaySession&& other) noexcept {
    if (this != &other) {
        RelaySession dropped(std::move(*this));
        impl_ = std::move(other.impl_);
    }
    return *this;
}

RelaySession::~RelaySession() {
    if (impl_) {
        asio::post(impl_->strand, [impl = impl_] { impl->shutdown("session released"); });
    }
}

static RelaySession::Impl& checked(const std::shared_ptr<RelaySession::Impl>& impl) {
    if (!impl) throw std::logic_error("RelaySession used after being moved from");
    return *impl;
}

asio::awaitable<QueryResult> RelaySession::query(Filter filter, QueryOptions options) {
    std::vector<Filter> filters;
    filters.push_back(std::move(filter));
    co_return co_await query(std::move(filters), options);
}

asio::awaitable<QueryResult> RelaySession::query(std::vector<Filter> filters, QueryOptions options) {
    auto impl = impl_;
    auto& self = checked(impl);
    co_return co_await asio::co_spawn(self.strand, self.run_query(std::move(filters), options), asio::use_awaitable);
}

asio::awaitable<PublishResult> RelaySession::publish(Event event, std::chrono::milliseconds timeout) {
    auto impl = impl_;
    auto& self = checked(impl);
    co_return co_await asio::co_spawn(self.strand, self.run_publish(std::move(event), timeout), asio::use_awaitable);
}

asio::awaitable<AuthState> RelaySession::wait_for_auth(std::chrono::milliseconds timeout) {
    auto impl = impl_;
    auto& self = checked(impl);
    co_return co_await asio::co_spawn(self.strand, self.run_wait_for_auth(timeout), asio::use_awaitable);
}

asio::awaitable<void> RelaySession::close() {
    auto impl = impl_;
    auto& self = checked(impl);
    co_await asio::co_spawn(self.strand, self.run_close(), asio::use_awaitable);
}

bool RelaySession::connected() const { return checked(impl_).open; }
const RelayUrl& RelaySession::url() const { return checked(impl_).url; }
const ConnectTimings& RelaySession::connect_timings() const { return checked(impl_).ws->timings(); }
bool RelaySession::compressed() const { return checked(impl_).ws->compressed(); }
const SessionStats& RelaySession::stats() const { return checked(impl_).stats; }
AuthState RelaySession::auth_state() const { return checked(impl_).auth; }

}  // namespace brotr::net
