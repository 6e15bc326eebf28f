// Bulk import of JSONL events (one NIP-01 event object per line, as strfry
// and other tools export) into a store, using every core.
//
// Pipeline: the calling thread reads and cuts the input into chunks of
// lines; worker threads (one per core) read the id and sig of each line
// (scan_event_identity), look up which events are stored already, and parse
// and verify only the others (a stored event whose line is well-formed is a
// duplicate without being parsed); one writer
// thread inserts the chunks in input order, deferred, and commits what is
// pending in one atomic step now and then (see ImportOptions): a large
// commit becomes SST files ingested into the store, which skips the
// write-ahead log, the memtables and their flushes. `on_batch` reports the
// totals after each commit: what it reports is durable.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>

#include "brotr/event.hpp"
#include "brotr/relay_url.hpp"
#include "brotr/store.hpp"

namespace brotr::storage {

struct ImportOptions {
    const RelayUrl* relay = nullptr;  // link every event to this relay, seen at `seen_at`
    std::int64_t seen_at = 0;
    bool verify = true;               // check ids and signatures
    unsigned threads = 0;             // parsing/verifying threads; 0 = one per core
    std::size_t batch_lines = 4096;   // lines per insert_events() call
    // Batches are deferred (InsertOptions::defer) and committed together
    // when this many bytes are pending (as SST files), when the oldest has
    // waited commit_interval seconds, and at the end. on_batch reports
    // after each commit: what it reports is durable.
    std::size_t commit_bytes = 64u << 20;
    double commit_interval = 1.0;
    std::size_t max_line_bytes = 4u << 20;  // longer lines are dropped as oversized_line
    std::function<void(const struct ImportReport&)> on_batch;  // after each commit
};

struct ImportReport {
    std::uint64_t lines = 0;        // non-blank lines read (oversized ones included)
    std::uint64_t stored = 0;       // new events
    std::uint64_t duplicates = 0;   // events already stored (or twice in the input)
    std::uint64_t links_added = 0;  // new (event, relay) rows
    std::array<std::uint64_t, kEventErrorCount> invalid{};  // by EventError
    std::uint64_t oversized = 0;    // lines longer than max_line_bytes

    std::uint64_t invalid_total() const;
    void add(const ImportReport& more);
    // read=.. stored=.. duplicates=.. links=.. invalid=.. (reason=n ...)
    std::string summary() const;
};

// Reads `fd` to its end. Throws StoreError on a store failure and
// std::runtime_error when the input cannot be read.
ImportReport import_jsonl(Store& store, int fd, const ImportOptions& options);

}  // namespace brotr::storage
