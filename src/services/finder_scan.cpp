#include "services/finder_scan.hpp"

#include <variant>

#include "services/relay_url_extract.hpp"

namespace brotr::services {

ScanBatch scan_changelog(const Store& store, std::uint64_t cursor, std::size_t max_entries,
                         const std::function<void(std::string_view)>& found) {
    ScanBatch batch;
    batch.cursor = cursor;
    const std::vector<ChangelogEntry> entries = store.read_changelog(cursor, max_entries);
    if (!entries.empty() && entries.front().seq > cursor + 1) batch.missed_entries = entries.front().seq - cursor - 1;
    for (const ChangelogEntry& entry : entries) {
        batch.cursor = entry.seq;
        ++batch.entries;
        if (entry.table != ChangeTable::events) continue;
        auto row = store.fetch_row(entry);
        if (!row) continue;
        const Event* event = std::get_if<Event>(&*row);
        if (!event) continue;
        ++batch.events;
        extract_relay_urls(*event, [&](std::string_view candidate) {
            ++batch.candidates;
            found(candidate);
        });
    }
    batch.at_end = entries.size() < max_entries;
    if (entries.empty()) {
        // Everything up to the head may have been trimmed away.
        const std::uint64_t head = store.changelog_head();
        if (head > cursor) {
            batch.missed_entries = head - cursor;
            batch.cursor = head;
        }
    }
    return batch;
}

}  // namespace brotr::services
