// The finder's event scan: the events archived since a cursor, read in
// archive order from the store's changelog (every new event has an entry,
// numbered without gaps), with the relay URLs they mention
// (relay_url_extract.hpp). The cursor is the changelog number of the last
// entry scanned, so each event is scanned once, whenever it was archived and
// whatever its created_at.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>

#include "brotr/store.hpp"

namespace brotr::services {

struct ScanBatch {
    std::uint64_t cursor = 0;        // the last entry read (unchanged when none)
    std::size_t entries = 0;         // changelog entries read
    std::size_t events = 0;          // events among them that were scanned
    std::size_t candidates = 0;      // URL candidates reported
    // Entries after the old cursor that the exporter had already trimmed
    // away before they were scanned (their events are not scanned).
    std::uint64_t missed_entries = 0;
    bool at_end = false;             // nothing left after `cursor`
};

// Reads at most `max_entries` entries after `cursor` and reports each URL
// candidate of their events to `found`.
ScanBatch scan_changelog(const Store& store, std::uint64_t cursor, std::size_t max_entries,
                         const std::function<void(std::string_view)>& found);

}  // namespace brotr::services
