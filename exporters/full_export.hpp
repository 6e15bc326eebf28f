// A full export: every row the store holds, table by table in foreign-key
// order, then the node's cursor set to the changelog head as it was before
// the first table was read. For a database the changelog can no longer
// continue (its entries after the node's cursor were trimmed, or the node
// never exported there and the changelog was trimmed), or to refill one.
//
// Every row that existed at that head is in its table when the table is
// read (rows are never deleted), so the copy plus the changelog after the
// head is everything. Rows already in PostgreSQL are left as they are, so a
// full export can be repeated and interrupted: until it ends, the cursor is
// where it was, and the next run starts again from the first table.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "exporters/exporter.hpp"

namespace brotr::pg {

class FullExport {
public:
    // Throws ExportTargetError when the database's cursor for the node is
    // beyond the store's head (another store's), like export_batch.
    FullExport(Store& store, Exporter& exporter);

    // Exports the next batch_size rows of the current table (one
    // transaction), or, after the last table, moves the cursor to head()
    // and returns nullopt.
    std::optional<BatchResult> next_batch();

    std::uint64_t head() const { return head_; }  // where the changelog takes over
    std::string_view table() const;              // the table being copied, "" when done
    std::size_t rows_sent() const { return rows_sent_; }

private:
    Store& store_;
    Exporter& exporter_;
    std::uint64_t head_ = 0;
    std::size_t table_index_ = 0;  // into kMergeOrder
    std::string after_key_;        // the last row key sent from that table
    std::size_t rows_sent_ = 0;
};

}  // namespace brotr::pg
