// What a relay session does with each message a relay sends.
#include <algorithm>
#include <chrono>

#include "brotr/hex.hpp"
#include "brotr/log.hpp"
#include "net/client_message.hpp"
#include "net/relay_session_impl.hpp"

namespace brotr::net {

namespace {
constexpr std::size_t kMaxNoticeBytes = 256;
constexpr std::size_t kRememberedClosed = 32;
}  // namespace

void RelaySession::Impl::remember_closed(const std::string& id) {
    recently_closed_.push_back(id);
    if (recently_closed_.size() > kRememberedClosed) recently_closed_.pop_front();
}

bool RelaySession::Impl::recently_closed(const std::string& id) const {
    return std::find(recently_closed_.begin(), recently_closed_.end(), id) != recently_closed_.end();
}

void RelaySession::Impl::drop(DropReason reason, Subscription* sub) {
    stats.drops.add(reason);
    if (sub) sub->result.drops.add(reason);
    if (is_invalid_input(reason) && ++stats.invalid_messages > options.max_invalid_messages) {
        shutdown("more than " + std::to_string(options.max_invalid_messages) + " invalid messages");
    }
}

void RelaySession::Impl::handle(MessageKind kind, std::string_view frame) {
    ++stats.messages;
    if (kind == MessageKind::binary) return drop(DropReason::binary_message);
    FrameError error = parse_relay_message(frame, message_);
    if (error != FrameError::none) {
        return drop(error == FrameError::unknown_type ? DropReason::unknown_message_type
                                                      : DropReason::malformed_message);
    }
    switch (message_.type) {
        case RelayMessageType::event: return on_event(message_);
        case RelayMessageType::eose: return on_eose(message_);
        case RelayMessageType::closed: return on_closed(message_);
        case RelayMessageType::ok: return on_ok(message_);
        case RelayMessageType::auth: return on_auth(message_);
        case RelayMessageType::notice:
            ++stats.notices;
            stats.last_notice = message_.text.substr(0, kMaxNoticeBytes);
            log::debug("net", "relay_notice", {{"relay", url.str()}, {"notice", stats.last_notice}});
            return;
        case RelayMessageType::count:  // never requested by this client
            return drop(DropReason::unknown_subscription);
    }
}

void RelaySession::Impl::on_event(const RelayMessage& m) {
    auto it = subscriptions_.find(m.subscription_id);
    if (it == subscriptions_.end()) return drop(DropReason::unknown_subscription);
    Subscription& sub = *it->second;
    if (!sub.result.first_reply) sub.result.first_reply = std::chrono::duration_cast<std::chrono::microseconds>(
                                                              Clock::now() - sub.sent_at);
    // Cheapest check first: a flood past the limit costs no parsing.
    if (sub.result.events.size() >= sub.max_events) return drop(DropReason::over_limit, &sub);

    // With verification on, the id is hashed straight from the received text
    // when it is canonical (parse_and_check_event), saving a serialization.
    ParsedEvent parsed = sub.verify ? parse_and_check_event(m.event_json) : parse_event(m.event_json);
    if (!parsed.event) {
        switch (parsed.error) {
            case EventError::id_mismatch: return drop(DropReason::wrong_id, &sub);
            case EventError::invalid_signature: return drop(DropReason::bad_signature, &sub);
            default: break;
        }
        sub.result.drops.by_event_error[static_cast<std::size_t>(parsed.error)]++;
        stats.drops.by_event_error[static_cast<std::size_t>(parsed.error)]++;
        return drop(DropReason::invalid_event, &sub);
    }
    Event& event = *parsed.event;
    if (std::none_of(sub.filters.begin(), sub.filters.end(), [&](const Filter& f) { return f.matches(event); })) {
        return drop(DropReason::filter_mismatch, &sub);
    }
    if (sub.seen.contains(event.id)) return drop(DropReason::duplicate, &sub);
    sub.seen.insert(event.id);
    sub.result.events.push_back(std::move(event));
    ++stats.events;
}

void RelaySession::Impl::on_eose(const RelayMessage& m) {
    auto it = subscriptions_.find(m.subscription_id);
    if (it == subscriptions_.end()) return drop(DropReason::unknown_subscription);
    Subscription& sub = *it->second;
    if (!sub.result.first_reply) sub.result.first_reply = std::chrono::duration_cast<std::chrono::microseconds>(
                                                              Clock::now() - sub.sent_at);
    // The subscription would stay open for new events: this client only
    // wants what is stored, so it ends here.
    send(close_message(sub.id));
    remember_closed(sub.id);
    complete(sub, QueryEnd::eose, {});
}

void RelaySession::Impl::on_closed(const RelayMessage& m) {
    auto it = subscriptions_.find(m.subscription_id);
    if (it == subscriptions_.end()) {
        if (!recently_closed(m.subscription_id)) drop(DropReason::unknown_subscription);
        return;
    }
    Subscription& sub = *it->second;
    if (!sub.result.first_reply) sub.result.first_reply = std::chrono::duration_cast<std::chrono::microseconds>(
                                                              Clock::now() - sub.sent_at);
    complete(sub, QueryEnd::closed, m.text);
}

void RelaySession::Impl::on_ok(const RelayMessage& m) {
    bool matched = false;
    for (auto* pub : std::vector<PendingPublish*>(publishes_)) {
        if (pub->id_hex == m.event_id && !pub->done) {
            complete(*pub, m.accepted ? PublishStatus::accepted : PublishStatus::rejected, m.text);
            matched = true;
        }
    }
    if (matched) return;
    if (auth == AuthState::pending && m.event_id == auth_event_id_) {
        auth = m.accepted ? AuthState::authenticated : AuthState::rejected;
        log::debug("net", "relay_auth", {{"relay", url.str()}, {"state", to_string(auth)}, {"message", m.text}});
        wake_auth_waiters();
        return;
    }
    drop(DropReason::unexpected_ok);
}

void RelaySession::Impl::on_auth(const RelayMessage& m) {
    ++stats.auth_challenges;
    if (!options.auth_signer) {
        auth = AuthState::unanswered;
        log::debug("net", "relay_auth_unanswered", {{"relay", url.str()}});
        wake_auth_waiters();
        return;
    }
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch()).count();
    Event event = auth_event_template(url, m.text, now);
    if (!options.auth_signer(event)) {
        auth = AuthState::rejected;
        wake_auth_waiters();
        return;
    }
    auth_event_id_ = to_hex(event.id);
    auth = AuthState::pending;
    send(auth_message(event));
    wake_auth_waiters();
}

}  // namespace brotr::net
