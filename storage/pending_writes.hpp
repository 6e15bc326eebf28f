// Inserts held in memory for one later commit (InsertOptions::defer).
//
// A bulk load gathers many batches and commits them at once; a large commit
// goes into the store as SST files written in key order and ingested, with
// no write-ahead log, no memtable and no flush on the way. Until then the
// writer must still see what is pending to decide what is new: find()
// answers for the column families insert_events() reads.
#pragma once

#include <array>
#include <cstddef>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/key_layout.hpp"
#include "storage/sorted_batch.hpp"

namespace brotr::storage {

class PendingWrites {
public:
    void add(SortedBatch&& batch);
    bool empty() const { return batches_.empty(); }
    std::size_t bytes() const;  // of keys and values
    std::size_t bytes(Cf cf) const { return cf_bytes_[static_cast<std::size_t>(cf)]; }
    std::size_t count(Cf cf) const { return cf_count_[static_cast<std::size_t>(cf)]; }  // entries
    void clear();  // keeps the lookup tables' memory for the next commit

    // The value last put or merged under `key`, if pending. Only for the
    // column families the writer reads (see is_looked_up); nullopt for others.
    std::optional<std::string_view> find(Cf cf, std::string_view key) const;
    static bool is_looked_up(Cf cf);

    // The pending entries of `cf` in key order, with one entry per key: a
    // put replaces what came before it, and counter merges are added up
    // (into strings kept in `combined`). Other merges of one key throw.
    struct Entry {
        std::string_view key, value;
        bool merge = false;
    };
    // The entries as gathered, and the order to read them in: the entries
    // are not moved into order, each would be one more copy of them all.
    class Sorted {
    public:
        std::size_t size() const { return order_.size(); }
        bool empty() const { return order_.empty(); }
        const Entry& operator[](std::size_t i) const { return entries_[order_[i]]; }

    private:
        friend class PendingWrites;
        std::vector<Entry> entries_;
        std::vector<std::uint32_t> order_;
    };
    Sorted sorted(Cf cf, std::deque<std::string>& combined) const;

    // Every pending batch, in the order added (for a commit through the log).
    const std::vector<std::unique_ptr<SortedBatch>>& batches() const { return batches_; }

private:
    // Key to value, pointing into the batches. Open addressing in one array:
    // a node per entry (std::unordered_map) costs an allocation per entry
    // and a cache miss per probe.
    class KeyIndex {
    public:
        void put(std::string_view key, std::string_view value);
        const std::string_view* find(std::string_view key) const;
        void clear();

    private:
        struct Slot {
            std::uint64_t hash = 0;
            std::string_view key, value;
            bool used = false;
        };
        std::size_t slot_of(std::uint64_t hash, std::string_view key) const;  // where key is, or goes
        void grow();
        std::vector<Slot> slots_;  // a power of two in size, at most half full
        std::size_t used_ = 0;
    };

    std::vector<std::unique_ptr<SortedBatch>> batches_;  // stable addresses: index_ points into them
    std::array<KeyIndex, kCfCount> index_;
    std::array<std::size_t, kCfCount> cf_bytes_{}, cf_count_{};
};

}  // namespace brotr::storage
