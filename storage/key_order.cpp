#include "storage/key_order.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

#include <boost/sort/pdqsort/pdqsort.hpp>

namespace brotr::storage {

namespace {

// Eight key bytes from `at` as a big-endian number, zero-padded past the end.
std::uint64_t key_bytes_at(std::string_view key, std::size_t at) {
    if (at + 8 <= key.size()) {
        std::uint64_t v;
        std::memcpy(&v, key.data() + at, 8);
        if constexpr (std::endian::native == std::endian::little) v = __builtin_bswap64(v);
        return v;
    }
    unsigned char b[8] = {};
    if (at < key.size()) std::memcpy(b, key.data() + at, key.size() - at);
    std::uint64_t v = 0;
    for (unsigned char c : b) v = (v << 8) | c;
    return v;
}

// A key in the sort: small, so that moving it is cheap.
struct Item {
    std::uint64_t high, low;  // key bytes [offset, offset + 16) of the sort at hand, zero-padded
    std::uint32_t at;         // the key's position: keeps equal keys in the order given
    bool whole = false;       // compared whole with others
};

class Sorter {
public:
    Sorter(KeyColumn keys, std::vector<Item>& items) : keys_(keys), items_(items) {}

    // Sorts items[first, last), whose keys agree on their first `offset`
    // bytes. Most comparisons are of two words taken past what the keys
    // share: no memcmp, no key touched, no branch to mispredict. Keys that
    // agree on those words too are sorted again on the words past what they
    // share, and so on (keys with long equal prefixes, such as a relay URL,
    // are common in the counters).
    void sort(std::size_t first, std::size_t last, std::size_t offset) {
        offset += common_prefix(first, last, offset);
        bool all_longer = true;  // does every key go on past the two words?
        for (std::size_t i = first; i < last; ++i) {
            const std::string_view key = keys_[items_[i].at];
            items_[i].high = key_bytes_at(key, offset);
            items_[i].low = key_bytes_at(key, offset + 8);
            all_longer = all_longer && key.size() > offset + 16;
        }
        boost::sort::pdqsort_branchless(begin(first), begin(last), [](const Item& a, const Item& b) {
            if (a.high != b.high) return a.high < b.high;
            if (a.low != b.low) return a.low < b.low;
            return a.at < b.at;
        });
        for (std::size_t i = first; i < last;) {
            std::size_t j = i + 1;
            while (j < last && items_[j].high == items_[i].high && items_[j].low == items_[i].low) ++j;
            if (j - i > 1) {
                if (all_longer) sort(i, j, offset + 16);
                else sort_whole(i, j);
            }
            i = j;
        }
    }

private:
    std::vector<Item>::iterator begin(std::size_t i) { return items_.begin() + static_cast<std::ptrdiff_t>(i); }

    // How many bytes from `offset` the keys of items[first, last) share.
    std::size_t common_prefix(std::size_t first, std::size_t last, std::size_t offset) const {
        const std::string_view head = keys_[items_[first].at];
        if (head.size() <= offset) return 0;
        std::size_t n = head.size() - offset;
        for (std::size_t i = first + 1; i < last && n > 0; ++i) {
            const std::string_view key = keys_[items_[i].at];
            if (key.size() <= offset) return 0;
            n = std::min(n, key.size() - offset);
            n = static_cast<std::size_t>(std::mismatch(head.begin() + static_cast<std::ptrdiff_t>(offset),
                                                       head.begin() + static_cast<std::ptrdiff_t>(offset + n),
                                                       key.begin() + static_cast<std::ptrdiff_t>(offset))
                                             .first -
                                         (head.begin() + static_cast<std::ptrdiff_t>(offset)));
        }
        return n;
    }

    // Some key ends within the words (where zero padding is ambiguous):
    // compare the keys themselves.
    void sort_whole(std::size_t first, std::size_t last) {
        std::sort(begin(first), begin(last), [&](const Item& a, const Item& b) {
            if (int c = keys_[a.at].compare(keys_[b.at]); c != 0) return c < 0;
            return a.at < b.at;
        });
        for (std::size_t k = first; k < last; ++k) items_[k].whole = true;
    }

    KeyColumn keys_;
    std::vector<Item>& items_;
};

}  // namespace

std::vector<std::uint32_t> key_order(KeyColumn keys, std::vector<bool>* compared_whole) {
    std::vector<Item> items(keys.size());
    for (std::size_t i = 0; i < keys.size(); ++i) items[i].at = static_cast<std::uint32_t>(i);
    // Serial- and sequence-keyed families come in key order already, with
    // no key twice (equal keys would be apart).
    bool in_order = true;
    for (std::size_t i = 1; i < keys.size() && in_order; ++i) in_order = keys[i - 1] < keys[i];
    if (!in_order) Sorter(keys, items).sort(0, items.size(), 0);
    std::vector<std::uint32_t> order(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) order[i] = items[i].at;
    if (compared_whole != nullptr) {
        compared_whole->resize(items.size());
        for (std::size_t i = 0; i < items.size(); ++i) (*compared_whole)[i] = items[i].whole;
    }
    return order;
}

}  // namespace brotr::storage
