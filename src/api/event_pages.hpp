// Paging through the events that match a filter, newest first: created_at
// descending, then id ascending within a second. The order depends on the
// events alone, not on when or where they were stored, so a cursor means the
// same on every node and a page never repeats or skips an event, however many
// arrive meanwhile (new events sort before the cursor when they are newer,
// and are met in their place when they are older).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "brotr/event.hpp"
#include "brotr/filter.hpp"

namespace brotr {
class Store;
}

namespace brotr::api {

// Where the next page starts: at `created_at`, after `after_id` when set
// (the last event of the page had that id), else with the whole second.
struct EventCursor {
    std::int64_t created_at = 0;
    std::optional<Bytes32> after_id;
    bool operator==(const EventCursor&) const = default;
};

// Opaque text for clients: "1" (the cursor's version), 16 hex digits of
// created_at, then 64 hex digits of the id when there is one.
std::string encode_cursor(const EventCursor& c);
std::optional<EventCursor> decode_cursor(std::string_view text);

struct EventPage {
    std::vector<Event> events;
    std::optional<EventCursor> next;  // none: no more matches
};

// Up to `limit` events of `filter` (its own limit is ignored) from `cursor`
// on. The store examines about `scan_budget` index entries at most (finishing
// the second it is in); a page cut short by the budget may hold fewer than
// `limit` events, or none, and still have a next cursor.
EventPage query_event_page(const Store& store, Filter filter, const std::optional<EventCursor>& cursor,
                           std::size_t limit, std::uint64_t scan_budget);

}  // namespace brotr::api
