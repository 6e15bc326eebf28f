// What a relay session received and what it dropped, by reason. Relay
// replies are untrusted: everything that is not handed to the caller is
// counted under exactly one reason.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "brotr/event.hpp"

namespace brotr::net {

enum class DropReason : std::uint8_t {
    malformed_message,     // not JSON, not an array, or elements of the wrong type
    binary_message,        // a binary WebSocket message
    unknown_message_type,  // ["SOMETHING", ...] this client does not know
    invalid_event,         // the event object fails the strict parse (detail in by_event_error)
    wrong_id,              // id is not the hash of the event
    bad_signature,         // Schnorr signature does not verify
    unknown_subscription,  // EVENT/EOSE/CLOSED/COUNT for no open subscription of this session
    filter_mismatch,       // an event the filter did not ask for (outside the window, other kind, ...)
    over_limit,            // events beyond the query's limit
    duplicate,             // the same event twice in one answer
    unexpected_ok,         // OK for no event this session is waiting on
};
inline constexpr std::size_t kDropReasonCount = 11;
std::string_view to_string(DropReason r);

// Drops that mean the peer sends garbage rather than too much: a session
// disconnects after SessionOptions::max_invalid_messages of them.
bool is_invalid_input(DropReason r);

struct DropCounts {
    // A constructor rather than `{}` initializers: GCC 12 fails to compile
    // coroutines holding aggregates with initialized array members.
    DropCounts() {
        by_reason.fill(0);
        by_event_error.fill(0);
    }
    std::array<std::uint64_t, kDropReasonCount> by_reason;
    std::array<std::uint64_t, kEventErrorCount> by_event_error;  // breakdown of invalid_event

    void add(DropReason r, std::uint64_t n = 1) { by_reason[static_cast<std::size_t>(r)] += n; }
    std::uint64_t operator[](DropReason r) const { return by_reason[static_cast<std::size_t>(r)]; }
    std::uint64_t total() const;
    DropCounts& operator+=(const DropCounts& o);
    // "over_limit=3 bad_signature=1" (non-zero reasons only), for logs.
    std::string summary() const;
};

struct SessionStats {
    std::uint64_t messages = 0;         // messages received
    std::uint64_t events = 0;           // events handed to callers
    std::uint64_t notices = 0;
    std::uint64_t auth_challenges = 0;
    std::uint64_t invalid_messages = 0; // drops where is_invalid_input()
    DropCounts drops;
    std::string last_notice;            // truncated to 256 bytes
};

}  // namespace brotr::net
