// brotr-dump stats: the events_statistics view and the size of every table,
// all read from counters (fast on any store size).
#include <ctime>

#include "tools/brotr-dump/dump_commands.hpp"
#include "tools/brotr-dump/dump_format.hpp"

namespace brotr::dump {

int show_stats(const Store& store, bool json) {
    const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
    const EventsStatistics s = store.events_statistics(now);
    const StoreSummary t = store.summary();
    if (json) {
        Json j;
        j["store"] = store.path();
        j["variant"] = std::string(to_string(t.variant));
        j["now"] = now;
        j["events_statistics"] = events_statistics_json(s);
        j["tables"] = table_sizes_json(t);
        j["changelog_head"] = t.changelog_head;
        print_json(j);
        return 0;
    }
    Table table({"figure", ">value"});
    table.add({"store", store.path() + " (" + std::string(to_string(t.variant)) + ")"});
    table.add({"events", format_count(s.total_events)});
    table.add({"  regular", format_count(s.regular_events)});
    table.add({"  replaceable", format_count(s.replaceable_events)});
    table.add({"  ephemeral", format_count(s.ephemeral_events)});
    table.add({"  addressable", format_count(s.addressable_events)});
    table.add({"  last hour", format_count(s.events_last_hour)});
    table.add({"  last 24 hours", format_count(s.events_last_24h)});
    table.add({"  last 7 days", format_count(s.events_last_7d)});
    table.add({"  last 30 days", format_count(s.events_last_30d)});
    table.add({"  earliest (UTC)", format_time(s.earliest_event_timestamp)});
    table.add({"  latest (UTC)", format_time(s.latest_event_timestamp)});
    table.add({"unique pubkeys", format_count(s.unique_pubkeys)});
    table.add({"unique kinds", format_count(s.unique_kinds)});
    table.add({"relays", format_count(t.relays)});
    table.add({"event-relay links", format_count(t.event_relays)});
    table.add({"metadata snapshots", format_count(t.relay_metadata)});
    table.add({"nip11 documents", format_count(t.nip11)});
    table.add({"nip66 results", format_count(t.nip66)});
    table.add({"service states", format_count(t.service_states)});
    table.add({"changelog head", format_count(t.changelog_head)});
    table.print(stdout);
    return 0;
}

}  // namespace brotr::dump
