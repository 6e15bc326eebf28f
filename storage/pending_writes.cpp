#include "storage/pending_writes.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "storage/counter_record.hpp"

namespace brotr::storage {

namespace {

// The first 8 key bytes as a big-endian number (zero-padded): comparing
// these first settles most comparisons without a memcmp call.
std::uint64_t key_prefix(std::string_view key) {
    unsigned char b[8] = {};
    std::memcpy(b, key.data(), std::min<std::size_t>(8, key.size()));
    std::uint64_t v = 0;
    for (unsigned char c : b) v = (v << 8) | c;
    return v;
}

struct Item {
    std::uint64_t prefix;
    std::uint32_t order;  // keeps equal keys in the order added
    PendingWrites::Entry entry;
};

bool item_less(const Item& a, const Item& b) {
    if (a.prefix != b.prefix) return a.prefix < b.prefix;
    if (int c = a.entry.key.compare(b.entry.key); c != 0) return c < 0;
    return a.order < b.order;
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

void PendingWrites::add(SortedBatch&& batch) {
    auto owned = std::make_unique<SortedBatch>(std::move(batch));
    for (std::size_t c = 0; c < kCfCount; ++c) {
        const Cf cf = static_cast<Cf>(c);
        cf_bytes_[c] += owned->bytes(cf);
        cf_count_[c] += owned->count(cf);
        if (!is_looked_up(cf)) continue;
        auto& index = index_[c];
        owned->for_each(cf, [&](std::string_view key, std::string_view value, bool) { index[key] = value; });
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
    const auto& index = index_[static_cast<std::size_t>(cf)];
    if (auto it = index.find(key); it != index.end()) return it->second;
    return std::nullopt;
}

std::vector<PendingWrites::Entry> PendingWrites::sorted(Cf cf, std::deque<std::string>& combined) const {
    std::vector<Item> items;
    items.reserve(count(cf));
    std::uint32_t order = 0;
    for (const auto& b : batches_)
        b->for_each(cf, [&](std::string_view key, std::string_view value, bool merge) {
            items.push_back({key_prefix(key), order++, {key, value, merge}});
        });
    // Serial- and sequence-keyed families arrive in key order already.
    if (!std::is_sorted(items.begin(), items.end(), item_less)) std::sort(items.begin(), items.end(), item_less);

    std::vector<Entry> out;
    out.reserve(items.size());
    for (std::size_t i = 0; i < items.size();) {
        std::size_t j = i + 1;
        while (j < items.size() && items[j].entry.key == items[i].entry.key) ++j;
        if (j == i + 1) {
            out.push_back(items[i].entry);
        } else {
            // Start from the last put (or the first merge, when there is no
            // put), then add the merges after it.
            std::size_t from = i;
            for (std::size_t k = i; k < j; ++k)
                if (!items[k].entry.merge) from = k;
            if (from + 1 == j) {
                out.push_back(items[from].entry);
            } else {
                if (cf != Cf::counters) throw std::logic_error("pending merges outside the counters");
                CounterRecord sum = counter_or_throw(items[from].entry.value);
                for (std::size_t k = from + 1; k < j; ++k) sum.add(counter_or_throw(items[k].entry.value));
                combined.push_back(sum.encode());
                // Merges only (no put among them) stay a merge: a stored value may lie under them.
                out.push_back({items[i].entry.key, combined.back(), items[from].entry.merge});
            }
        }
        i = j;
    }
    return out;
}

}  // namespace brotr::storage
