#include "storage/pending_writes.hpp"

#include <algorithm>
#include <functional>
#include <stdexcept>

#include "storage/counter_record.hpp"
#include "storage/key_order.hpp"

namespace brotr::storage {

namespace {

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
    // Keeps the array: the next commit of an import needs about as many
    // slots, and a fresh array is page faults, then rehashes as it grows.
    if (used_ > 0) std::fill(slots_.begin(), slots_.end(), Slot{});
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

PendingWrites::Sorted PendingWrites::sorted(Cf cf, std::deque<std::string>& combined) const {
    Sorted out;
    std::vector<Entry>& entries = out.entries_;
    entries.reserve(count(cf));
    for (const auto& b : batches_)
        b->for_each(cf, [&](std::string_view key, std::string_view value, bool merge) { entries.push_back({key, value, merge}); });
    std::vector<bool> compared_whole;
    std::vector<std::uint32_t> order =
        key_order(KeyColumn::of(std::span<const Entry>(entries), &Entry::key), &compared_whole);
    auto same_key = [&](std::size_t a, std::size_t b) {
        return compared_whole[a] && compared_whole[b] && entries[order[a]].key == entries[order[b]].key;
    };

    // One position per key, written over `order` as it is read (never ahead of it).
    std::size_t kept = 0;
    for (std::size_t i = 0; i < order.size();) {
        std::size_t j = i + 1;
        while (j < order.size() && same_key(j, i)) ++j;
        if (j == i + 1) {
            order[kept++] = order[i];
        } else {
            // Start from the last put (or the first merge, when there is no
            // put), then add the merges after it.
            std::size_t from = i;
            for (std::size_t k = i; k < j; ++k)
                if (!entries[order[k]].merge) from = k;
            if (from + 1 < j) {
                if (cf != Cf::counters) throw std::logic_error("pending merges outside the counters");
                CounterRecord sum = counter_or_throw(entries[order[from]].value);
                for (std::size_t k = from + 1; k < j; ++k) sum.add(counter_or_throw(entries[order[k]].value));
                combined.push_back(sum.encode());
                // Merges only (no put among them) stay a merge: a stored value may lie under them.
                entries[order[from]].value = combined.back();
            }
            order[kept++] = order[from];
        }
        i = j;
    }
    order.resize(kept);
    out.order_ = std::move(order);
    return out;
}

}  // namespace brotr::storage
