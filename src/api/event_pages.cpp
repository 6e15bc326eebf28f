#include "api/event_pages.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "brotr/hex.hpp"
#include "brotr/store.hpp"

namespace brotr::api {

std::string encode_cursor(const EventCursor& c) {
    std::string out = fmt::format("1{:016x}", static_cast<std::uint64_t>(c.created_at));
    if (c.after_id) out += to_hex(*c.after_id);
    return out;
}

std::optional<EventCursor> decode_cursor(std::string_view text) {
    if ((text.size() != 17 && text.size() != 81) || text.front() != '1') return std::nullopt;
    std::string_view time_hex = text.substr(1, 16);
    if (!std::all_of(time_hex.begin(), time_hex.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }))
        return std::nullopt;
    std::uint64_t t = 0;
    auto [ptr, ec] = std::from_chars(time_hex.data(), time_hex.data() + time_hex.size(), t, 16);
    if (ec != std::errc() || ptr != time_hex.data() + time_hex.size()) return std::nullopt;
    if (t > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
    EventCursor cursor{static_cast<std::int64_t>(t), std::nullopt};
    if (text.size() == 81) {
        cursor.after_id = parse_hex_array<32>(text.substr(17));
        if (!cursor.after_id) return std::nullopt;
    }
    return cursor;
}

EventPage query_event_page(const Store& store, Filter filter, const std::optional<EventCursor>& cursor,
                           std::size_t limit, std::uint64_t scan_budget) {
    EventPage page;
    if (limit == 0) return page;
    filter.limit.reset();
    if (cursor) filter.until = std::min(filter.until.value_or(INT64_MAX), cursor->created_at);

    // The store gives each second's matches in its own order; they are
    // gathered and sorted by id before they join the page.
    std::vector<Event> second;
    bool full = false;
    auto flush = [&] {
        std::sort(second.begin(), second.end(), [](const Event& a, const Event& b) { return a.id < b.id; });
        for (auto& e : second) {
            if (page.events.size() == limit) break;
            page.events.push_back(std::move(e));
        }
        second.clear();
        full = page.events.size() == limit;
    };
    std::optional<std::int64_t> resume = store.for_each_event_bounded(filter, scan_budget, [&](const Event& e) {
        if (cursor && e.created_at == cursor->created_at && cursor->after_id && !(*cursor->after_id < e.id)) {
            return true;  // on the pages before
        }
        if (!second.empty() && second.front().created_at != e.created_at) {
            flush();
            if (full) return false;
        }
        second.push_back(e);
        return true;
    });
    if (!full) flush();
    if (full) {
        // More may follow the last event given, in its second or older ones.
        page.next = EventCursor{page.events.back().created_at, page.events.back().id};
    } else if (resume) {
        page.next = EventCursor{*resume, std::nullopt};
    }
    return page;
}

}  // namespace brotr::api
