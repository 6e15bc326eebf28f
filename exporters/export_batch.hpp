// One export batch, client side: the rows a run of changelog entries names,
// fetched from the store and encoded as COPY data per staging table.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "brotr/bytes32_hash.hpp"
#include "brotr/store.hpp"
#include "exporters/pg_copy.hpp"
#include "exporters/row_encoding.hpp"

namespace brotr::pg {

// The order in which a batch reaches the tables: every row after the rows
// its foreign keys point at.
inline constexpr ChangeTable kMergeOrder[] = {ChangeTable::relays,        ChangeTable::events,
                                              ChangeTable::events_relays, ChangeTable::nip11,
                                              ChangeTable::nip66,         ChangeTable::relay_metadata,
                                              ChangeTable::service_state};

// A count per table.
struct TableCounts {
    std::array<std::uint64_t, 8> by_table{};  // indexed by ChangeTable's value

    std::uint64_t& operator[](ChangeTable t) { return by_table[static_cast<std::size_t>(t)]; }
    std::uint64_t operator[](ChangeTable t) const { return by_table[static_cast<std::size_t>(t)]; }
    std::uint64_t total() const;
    TableCounts& operator+=(const TableCounts& other);
};

// A row left out because PostgreSQL cannot store it.
struct SkippedRow {
    std::uint64_t seq = 0;
    ChangeTable table = ChangeTable::events;
    std::string key;  // event id hex, "<event id hex> <relay url>", service name
    std::string reason;
};

using EventIdSet = std::unordered_set<Bytes32, Bytes32Hash>;
// Events PostgreSQL cannot store, with the reason.
using UnexportableEvents = std::unordered_map<Bytes32, std::string, Bytes32Hash>;

struct StagingOptions {
    EventColumns events = EventColumns::full;
    CopyFormat format = CopyFormat::binary;
    // Also stage the rows each row points at (a link's event and relay, a
    // snapshot's relay and documents), so the batch needs nothing already in
    // PostgreSQL. For retrying a batch that hit a missing parent row.
    bool self_contained = false;
};

struct StagedBatch {
    std::uint64_t first_seq = 0, last_seq = 0;
    std::size_t entries = 0;
    std::array<std::string, 8> copy_data;  // indexed by ChangeTable; empty: no rows
    TableCounts staged;                    // rows encoded per table
    std::vector<SkippedRow> skipped;
};

// Fetches and encodes the rows of `entries` (consecutive, non-empty).
// `unexportable_events` holds the events known to be unstorable in
// PostgreSQL; events skipped here are added, and links to any of them are
// skipped too. Throws StoreError when a row is missing from the store.
StagedBatch stage_batch(const Store& store, std::span<const ChangelogEntry> entries, const StagingOptions& options,
                        UnexportableEvents& unexportable_events);

}  // namespace brotr::pg
