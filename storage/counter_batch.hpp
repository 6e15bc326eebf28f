// The counter updates of one write batch, summed per key before they become
// Merge operations, and the first-sighting tests behind the distinct counts
// (unique authors, kinds ...): a distinct count grows when a key is seen for
// the first time ever, which `first()` answers from a set of keys known to
// exist, filled beforehand by resolve() from the store.
#pragma once

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "brotr/event.hpp"
#include "storage/counter_record.hpp"

namespace brotr::storage {

class CounterBatch {
public:
    // `known` holds counter keys that exist; first() adds to it.
    explicit CounterBatch(std::unordered_set<std::string>& known) : known_(known) {}

    // Step 1: every key first() will be asked about.
    void need(std::string key) {
        if (!known_.contains(key)) needed_.insert(std::move(key));
    }
    // The needed keys not yet known to exist (to look up in the store).
    std::vector<std::string> unknown_keys() const { return {needed_.begin(), needed_.end()}; }
    void mark_known(const std::string& key) { known_.insert(key); }

    // Step 2: true exactly once per key that did not exist before.
    bool first(const std::string& key) { return known_.insert(key).second; }
    void add(const std::string& key, const CounterRecord& delta) { merges_[key].add(delta); }
    void add_count(const std::string& key, std::uint64_t n = 1) { merges_[key].count += n; }
    // A key that carries no count, only existence.
    void mark(const std::string& key) { markers_.push_back(key); }

    const std::unordered_map<std::string, CounterRecord>& merges() const { return merges_; }
    const std::vector<std::string>& markers() const { return markers_; }

private:
    std::unordered_set<std::string>& known_;
    std::unordered_set<std::string> needed_;
    std::unordered_map<std::string, CounterRecord> merges_;
    std::vector<std::string> markers_;
};

// What a new events row and a new events_relays row add to the counters
// (the figures of the statistics views). announce_* lists the keys whose
// existence count_* will test.
void announce_event(CounterBatch& b, const Bytes32& pubkey, std::uint16_t kind);
void count_event(CounterBatch& b, const Bytes32& pubkey, std::uint16_t kind, std::int64_t created_at);
void announce_link(CounterBatch& b, std::string_view relay_url, const Bytes32& pubkey, std::uint16_t kind);
void count_link(CounterBatch& b, std::string_view relay_url, const Bytes32& pubkey, std::uint16_t kind,
                std::int64_t created_at);

}  // namespace brotr::storage
