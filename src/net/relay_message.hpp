// Messages from a relay to a client (NIP-01, NIP-42, NIP-45), parsed from
// untrusted text. The event inside an EVENT message is not parsed here: its
// exact text is handed on to the strict event parser.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace brotr::net {

enum class RelayMessageType : std::uint8_t { event, eose, closed, notice, ok, auth, count };

struct RelayMessage {
    RelayMessageType type = RelayMessageType::notice;
    std::string subscription_id;  // EVENT, EOSE, CLOSED, COUNT
    std::string_view event_json;  // EVENT: the event object's text (a view into the frame)
    std::string text;             // CLOSED, NOTICE and OK message; AUTH challenge
    std::string event_id;         // OK
    bool accepted = false;        // OK
};

enum class FrameError : std::uint8_t {
    none = 0,
    not_json,       // not a well-formed JSON array (or text after it)
    unknown_type,   // a first element that is not a known message type
    bad_arguments,  // missing or mistyped elements for the type
};
std::string_view to_string(FrameError e);

// Fills `out` (its event_json points into `frame`). Extra trailing elements
// are tolerated when well-formed; CLOSED and OK without a message get "".
FrameError parse_relay_message(std::string_view frame, RelayMessage& out);

}  // namespace brotr::net
