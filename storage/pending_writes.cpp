#include "storage/pending_writes.hpp"

#include <algorithm>
#include <cstring>
#include <functional>
#include <stdexcept>

#include <boost/sort/pdqsort/pdqsort.hpp>

#include "storage/counter_record.hpp"
#include "storage/key_order.hpp"

namespace brotr::storage {

namespace {

using Entries = std::vector<PendingWrites::Entry>;

// A pending entry in the sort: small, so that moving it is cheap.
struct Item {
    std::uint64_t high, low;  // key bytes [offset, offset + 16) of the sort at hand, zero-padded
    std::uint32_t order;      // the entry's index: keeps equal keys in the order added
    bool tied = false;        // sorted by its whole key among others: equal keys are only found so
};

// How many bytes from `offset` the keys of items[first, last) share.
std::size_t common_prefix(const std::vector<Item>& items, std::size_t first, std::size_t last, const Entries& entries,
                          std::size_t offset) {
    const std::string_view head = entries[items[first].order].key;
    if (head.size() <= offset) return 0;
    std::size_t n = head.size() - offset;
    for (std::size_t i = first + 1; i < last && n > 0; ++i) {
        const std::string_view key = entries[items[i].order].key;
        if (key.size() <= offset) return 0;
        n = std::min(n, key.size() - offset);
        const auto from = head.begin() + static_cast<std::ptrdiff_t>(offset);
        n = static_cast<std::size_t>(std::mismatch(from, from + static_cast<std::ptrdiff_t>(n), key.begin() + static_cast<std::ptrdiff_t>(offset)).first - from);
    }
    return n;
}

// Sorts items[first, last), whose keys agree on their first `offset`
// bytes, by key and then order. Most comparisons are of two words taken
// past what the keys share: no memcmp, no key touched, no branch to
// mispredict. Keys that agree on those words too are sorted again on the
// words past what they share, and so on (keys with long equal prefixes,
// such as a relay URL, are common in the counters).
void sort_items(std::vector<Item>& items, std::size_t first, std::size_t last, const Entries& entries, std::size_t offset) {
    offset += common_prefix(items, first, last, entries, offset);
    bool all_longer = true;  // does every key go on past the two words?
    for (std::size_t i = first; i < last; ++i) {
        const std::string_view key = entries[items[i].order].key;
        items[i].high = key_bytes_at(key, offset);
        items[i].low = key_bytes_at(key, offset + 8);
        all_longer = all_longer && key.size() > offset + 16;
    }
    const auto begin = items.begin() + static_cast<std::ptrdiff_t>(first), end = items.begin() + static_cast<std::ptrdiff_t>(last);
    boost::sort::pdqsort_branchless(begin, end, [](const Item& a, const Item& b) {
        if (a.high != b.high) return a.high < b.high;
        if (a.low != b.low) return a.low < b.low;
        return a.order < b.order;
    });
    for (std::size_t i = first; i < last;) {
        std::size_t j = i + 1;
        while (j < last && items[j].high == items[i].high && items[j].low == items[i].low) ++j;
        if (j - i > 1) {
            if (all_longer) {
                sort_items(items, i, j, entries, offset + 16);
            } else {
                // Some key ends within the words (zero padding is ambiguous
                // there): compare the keys themselves.
                std::sort(items.begin() + static_cast<std::ptrdiff_t>(i), items.begin() + static_cast<std::ptrdiff_t>(j), [&](const Item& a, const Item& b) {
                    if (int c = entries[a.order].key.compare(entries[b.order].key); c != 0) return c < 0;
                    return a.order < b.order;
                });
                for (std::size_t k = i; k < j; ++k) items[k].tied = true;
            }
        }
        i = j;
    }
}

CounterRecord counter_or_throw(std::string_view bytes) {
    auto r = CounterRecord::decode(bytes);
    if (!r) throw std::logic_error("pending counter value is not a counter record");
    return *r;
}

}  // namespace

bool PendingWrites::is_looked_up(Cf cf) {
    switch (cf) {
        case Cf::event_ids:
        case Cf::events:
        case Cf::event_relays:
        case Cf::relays:
        case Cf::counters:
            return true;
        default:
            return false;
    }
}

void PendingWrites::KeyIndex::put(std::string_view key, std::string_view value) {
    if (2 * (used_ + 1) > slots_.size()) grow();
    const std::uint64_t hash = std::hash<std::string_view>{}(key);
    Slot& slot = slots_[slot_of(hash, key)];
    if (!slot.used) {
        slot = Slot{hash, key, value, true};
        ++used_;
    } else {
        slot.value = value;  // the last put wins
    }
}

const std::string_view* PendingWrites::KeyIndex::find(std::string_view key) const {
    if (used_ == 0) return nullptr;
    const Slot& slot = slots_[slot_of(std::hash<std::string_view>{}(key), key)];
    return slot.used ? &slot.value : nullptr;
}

std::size_t PendingWrites::KeyIndex::slot_of(std::uint64_t hash, std::string_view key) const {
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
        const Slot& slot = slots_[i];
        if (!slot.used || (slot.hash == hash && slot.key == key)) return i;
    }
}

void PendingWrites::KeyIndex::grow() {
    std::vector<Slot> old(std::max<std::size_t>(1024, 2 * slots_.size()));
    old.swap(slots_);
    const std::size_t mask = slots_.size() - 1;
    for (const Slot& s : old) {
        if (!s.used) continue;
        std::size_t i = s.hash & mask;
        while (slots_[i].used) i = (i + 1) & mask;
        slots_[i] = s;
    }
}

void PendingWrites::KeyIndex::clear() {
    slots_.clear();
    used_ = 0;
}

void PendingWrites::add(SortedBatch&& batch) {
    auto owned = std::make_unique<SortedBatch>(std::move(batch));
    for (std::size_t c = 0; c < kCfCount; ++c) {
        const Cf cf = static_cast<Cf>(c);
        cf_bytes_[c] += owned->bytes(cf);
        cf_count_[c] += owned->count(cf);
        if (!is_looked_up(cf)) continue;
        auto& index = index_[c];
        owned->for_each(cf, [&](std::string_view key, std::string_view value, bool) { index.put(key, value); });
    }
    batches_.push_back(std::move(owned));
}

void PendingWrites::clear() {
    batches_.clear();
    for (auto& index : index_) index.clear();
    cf_bytes_ = {};
    cf_count_ = {};
}

std::size_t PendingWrites::bytes() const {
    std::size_t n = 0;
    for (auto b : cf_bytes_) n += b;
    return n;
}

std::optional<std::string_view> PendingWrites::find(Cf cf, std::string_view key) const {
    if (const std::string_view* value = index_[static_cast<std::size_t>(cf)].find(key)) return *value;
    return std::nullopt;
}

std::vector<PendingWrites::Entry> PendingWrites::sorted(Cf cf, std::deque<std::string>& combined) const {
    std::vector<Entry> entries;
    entries.reserve(count(cf));
    for (const auto& b : batches_)
        b->for_each(cf, [&](std::string_view key, std::string_view value, bool merge) { entries.push_back({key, value, merge}); });
    std::vector<Item> items(entries.size());
    for (std::size_t i = 0; i < entries.size(); ++i) items[i].order = static_cast<std::uint32_t>(i);
    // Serial- and sequence-keyed families arrive in key order already
    // (with no key twice: were there equal keys, they would be apart).
    bool in_order = true;
    for (std::size_t i = 1; i < entries.size() && in_order; ++i) in_order = entries[i - 1].key < entries[i].key;
    if (!in_order) sort_items(items, 0, items.size(), entries, 0);
    auto same_key = [&](const Item& a, const Item& b) { return a.tied && b.tied && entries[a.order].key == entries[b.order].key; };

    std::vector<Entry> out;
    out.reserve(items.size());
    for (std::size_t i = 0; i < items.size();) {
        std::size_t j = i + 1;
        while (j < items.size() && same_key(items[j], items[i])) ++j;
        if (j == i + 1) {
            out.push_back(entries[items[i].order]);
        } else {
            // Start from the last put (or the first merge, when there is no
            // put), then add the merges after it.
            std::size_t from = i;
            for (std::size_t k = i; k < j; ++k)
                if (!entries[items[k].order].merge) from = k;
            const Entry& start = entries[items[from].order];
            if (from + 1 == j) {
                out.push_back(start);
            } else {
                if (cf != Cf::counters) throw std::logic_error("pending merges outside the counters");
                CounterRecord sum = counter_or_throw(start.value);
                for (std::size_t k = from + 1; k < j; ++k) sum.add(counter_or_throw(entries[items[k].order].value));
                combined.push_back(sum.encode());
                // Merges only (no put among them) stay a merge: a stored value may lie under them.
                out.push_back({start.key, combined.back(), start.merge});
            }
        }
        i = j;
    }
    return out;
}

}  // namespace brotr::storage
