#include "storage/pending_writes.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <functional>
#include <stdexcept>

#include "storage/counter_record.hpp"

namespace brotr::storage {

namespace {

// Eight key bytes from `at` as a big-endian number (zero-padded): comparing
// these first settles most comparisons without touching the keys.
std::uint64_t key_bytes_at(std::string_view key, std::size_t at) {
    if (at + 8 <= key.size()) {
        std::uint64_t v;
        std::memcpy(&v, key.data() + at, 8);
        if constexpr (std::endian::native == std::endian::little) v = __builtin_bswap64(v);
        return v;
    }
    unsigned char b[8] = {};
    if (at < key.size()) std::memcpy(b, key.data() + at, std::min<std::size_t>(8, key.size() - at));
    std::uint64_t v = 0;
    for (unsigned char c : b) v = (v << 8) | c;
    return v;
}

// How many leading bytes all keys share. Keys of one family often start
// alike (a relay URL, a kind): the sort compares what follows.
std::size_t common_prefix(const std::vector<PendingWrites::Entry>& entries) {
    if (entries.empty()) return 0;
    const std::string_view first = entries.front().key;
    std::size_t n = first.size();
    for (const auto& e : entries) {
        n = std::min(n, e.key.size());
        n = static_cast<std::size_t>(std::mismatch(first.begin(), first.begin() + static_cast<std::ptrdiff_t>(n), e.key.begin()).first -
                                     first.begin());
        if (n == 0) break;
    }
    return n;
}

// A pending entry in the sort: small, so that moving it is cheap.
struct Item {
    std::uint64_t high, low;  // the key's 16 bytes after the common prefix
    std::uint32_t order;      // the entry's index: keeps equal keys in the order added
};

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
    const std::size_t skip = common_prefix(entries);
    std::vector<Item> items;
    items.reserve(entries.size());
    for (std::size_t i = 0; i < entries.size(); ++i)
        items.push_back({key_bytes_at(entries[i].key, skip), key_bytes_at(entries[i].key, skip + 8), static_cast<std::uint32_t>(i)});
    auto less = [&](const Item& a, const Item& b) {
        if (a.high != b.high) return a.high < b.high;
        if (a.low != b.low) return a.low < b.low;
        const std::string_view ka = entries[a.order].key, kb = entries[b.order].key;
        const std::size_t from = std::min({skip + 16, ka.size(), kb.size()});
        if (int c = ka.substr(from).compare(kb.substr(from)); c != 0) return c < 0;
        return a.order < b.order;
    };
    // Serial- and sequence-keyed families arrive in key order already.
    if (!std::is_sorted(items.begin(), items.end(), less)) std::sort(items.begin(), items.end(), less);
    auto same_key = [&](const Item& a, const Item& b) {
        return a.high == b.high && a.low == b.low && entries[a.order].key == entries[b.order].key;
    };

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
