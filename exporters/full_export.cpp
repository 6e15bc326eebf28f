#include "exporters/full_export.hpp"

#include <iterator>

namespace brotr::pg {

FullExport::FullExport(Store& store, Exporter& exporter) : store_(store), exporter_(exporter) {
    store_.catch_up();  // a secondary instance: the newest head it can see
    head_ = store_.changelog_head();
    const std::uint64_t cursor = exporter_.cursor();
    if (cursor > head_) throw cursor_beyond_head(exporter_.options().node_id, cursor, head_);
}

std::string_view FullExport::table() const {
    return table_index_ < std::size(kMergeOrder) ? to_string(kMergeOrder[table_index_]) : std::string_view();
}

std::optional<BatchResult> FullExport::next_batch() {
    const std::size_t batch_size = exporter_.options().batch_size;
    while (table_index_ < std::size(kMergeOrder)) {
        const auto rows = store_.table_rows(kMergeOrder[table_index_], after_key_, batch_size);
        if (rows.empty()) {
            ++table_index_;
            after_key_.clear();
            continue;
        }
        after_key_ = rows.back().row_key;
        BatchResult result = exporter_.export_rows(rows);
        rows_sent_ += rows.size();
        return result;
    }
    exporter_.advance_cursor(head_);
    return std::nullopt;
}

}  // namespace brotr::pg
