// The counter updates of one write batch, summed per counter in typed maps
// before they become one Merge per counter, and the first-sighting tests
// behind the distinct counts (unique authors, kinds ...): a distinct count
// grows when something is seen for the first time ever, which is answered
// from KnownCounters, completed beforehand by resolve() from the store.
//
// What a new events row and a new events_relays row add (the figures of the
// statistics views) is decided here, in count_event() and count_link().
#pragma once

#include <array>
#include <bitset>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/unordered/unordered_flat_map.hpp>
#include <boost/unordered/unordered_flat_set.hpp>

#include "brotr/event.hpp"
#include "storage/counter_record.hpp"
#include "storage/key_layout.hpp"
#include "storage/sorted_batch.hpp"

namespace brotr::storage {

struct AuthorKind {
    Bytes32 pubkey;
    std::uint16_t kind;
    bool operator==(const AuthorKind&) const = default;
};

struct CounterHash : Bytes32Hash {
    using Bytes32Hash::operator();
    std::size_t operator()(const AuthorKind& a) const { return (*this)(a.pubkey) ^ (std::size_t{a.kind} * 0x9e3779b97f4a7c15ULL); }
};

// Counter rows known to exist. Rows are never deleted, so an entry stays
// true; the writer drops the whole set when it grows large or a write fails.
// The sets are open-addressing tables (one array, no node per entry): every
// event inserted probes several of them.
struct KnownCounters {
    struct PerRelay {
        boost::unordered_flat_set<Bytes32, CounterHash> authors;           // 's' rows
        boost::unordered_flat_set<AuthorKind, CounterHash> author_kinds;   // 't' markers
    };
    boost::unordered_flat_set<Bytes32, CounterHash> authors;               // 'p' rows
    boost::unordered_flat_set<AuthorKind, CounterHash> author_kinds;       // 'q' markers
    std::bitset<65536> kinds;                                              // 'k' rows
    std::unordered_map<std::string, PerRelay> relays;  // node-based: CounterBatch keeps pointers to them
    // Every such row of the store is in the sets (the writer began on a store
    // without events, the only source of these rows): a row missing here does
    // not exist, and nothing needs to be read to know it. clear() drops it.
    bool complete = false;

    std::size_t size() const;
    void clear();
};

class CounterBatch {
public:
    explicit CounterBatch(KnownCounters& known) : known_(known) {}

    // Step 1: what count_event()/count_link() will ask about, then one
    // batched lookup of the counter keys not known yet.
    void announce_event(const Bytes32& pubkey, std::uint16_t kind);
    void announce_link(std::string_view relay_url, const Bytes32& pubkey, std::uint16_t kind);
    // `exists` gets the keys to look up and returns, for each, whether it exists.
    void resolve(const std::function<std::vector<bool>(const std::vector<std::string>&)>& exists);

    // Step 2.
    void count_event(const Bytes32& pubkey, std::uint16_t kind, std::int64_t created_at);
    void count_link(std::string_view relay_url, const Bytes32& pubkey, std::uint16_t kind, std::int64_t created_at);
    void add_global(Global g, std::uint64_t n = 1) { globals_[static_cast<std::size_t>(g)].count += n; }

    // The resulting Merge operands, one per counter key, and the marker keys to put.
    void for_each_merge(const std::function<void(const std::string& key, const CounterRecord& delta)>& f) const;
    const std::vector<std::string>& markers() const { return markers_; }
    // Both, into `batch`: the merges, and puts of the markers.
    void write_to(SortedBatch& batch) const;

    // Whether nothing was announced or counted since construction or clear().
    bool empty() const;
    // Forgets what was counted (keeping the tables' memory for the next
    // batch). Needed after the known counters are cleared: this batch keeps
    // pointers into them.
    void clear();

private:
    struct Need {
        std::string key;
        char type;  // 'p', 'q', 'k', 's', 't'
        std::string relay;
        AuthorKind what;
    };
    struct RelayAuthor {
        std::uint32_t relay;
        Bytes32 pubkey;
        bool operator==(const RelayAuthor&) const = default;
    };
    struct RelayAuthorHash {
        std::size_t operator()(const RelayAuthor& r) const { return CounterHash()(r.pubkey) ^ r.relay; }
    };
    std::uint32_t relay_index(std::string_view url);

    KnownCounters& known_;
    std::vector<Need> needed_;
    std::array<CounterRecord, 16> globals_{};
    boost::unordered_flat_map<std::uint64_t, std::uint64_t> histogram_;  // level << 61 | bucket
    boost::unordered_flat_map<std::uint16_t, CounterRecord> kinds_;
    boost::unordered_flat_map<Bytes32, CounterRecord, CounterHash> authors_;
    std::vector<std::string> relay_urls_;        // relays of this batch, by index
    std::vector<KnownCounters::PerRelay*> relay_known_;  // by relay index
    std::vector<CounterRecord> relay_totals_;    // by relay index
    boost::unordered_flat_map<RelayAuthor, CounterRecord, RelayAuthorHash> relay_authors_;
    boost::unordered_flat_map<std::uint64_t, CounterRecord> relay_kinds_;  // relay index << 16 | kind
    std::vector<std::string> markers_;
};

}  // namespace brotr::storage
