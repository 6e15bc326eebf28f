// Messages from a client to a relay (NIP-01, NIP-42) as JSON text.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "brotr/event.hpp"
#include "brotr/relay_url.hpp"
#include "brotr/filter.hpp"

namespace brotr::net {

std::string req_message(std::string_view subscription_id, std::span<const Filter> filters);
std::string close_message(std::string_view subscription_id);
std::string event_message(const Event& event);
std::string auth_message(const Event& signed_auth_event);

// The unsigned NIP-42 answer to a challenge: kind 22242 with the relay and
// challenge tags, empty content (the signer fills pubkey, id and sig).
Event auth_event_template(const RelayUrl& relay, std::string_view challenge, std::int64_t now);

}  // namespace brotr::net
