// Relay URLs mentioned in Nostr events, for the finder's event scan:
//   - kind 10002 (NIP-65 relay list): the URL of every "r" tag;
//   - kind 3 (contacts): the keys of the legacy relay map in the content;
//   - kind 2 (recommend relay): the content;
//   - relay hints: the third element of "e", "p" and "a" tags;
//   - any other tag value that is a ws:// or wss:// URL.
// Only text that starts with ws:// or wss:// (any case, after trimming
// blanks) is a candidate: a bare word in a tag is not a relay. Candidates
// are raw text; normalization and the SSRF rule are discovery_filter's job.
#pragma once

#include <functional>
#include <string_view>

#include "brotr/event.hpp"

namespace brotr::services {

// Calls `found` once per candidate, in event order (duplicates included).
void extract_relay_urls(const Event& event, const std::function<void(std::string_view)>& found);

// Whether `text` (blanks trimmed) starts with ws:// or wss://, case-insensitively.
bool looks_like_relay_url(std::string_view text);

}  // namespace brotr::services
