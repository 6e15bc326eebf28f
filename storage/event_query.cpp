// NIP-01 filter queries over the indexes, newest first.
//
// Plan: ids are looked up directly. Otherwise one index is scanned, one
// stream per value of the most selective field present (authors, then a
// tag, then kinds, else created_at alone), each bounded to [since, until].
// The streams are merged newest first; every candidate event is checked
// against the whole filter, because index prefixes can collide and the other
// fields are not in the index.
#include <algorithm>
#include <queue>

#include "storage/counter_record.hpp"
#include "storage/event_codec.hpp"
#include "storage/store_impl.hpp"

namespace brotr {

using storage::Cf;

namespace {

// One index prefix scanned from `until` down to `since`.
struct Stream {
    std::unique_ptr<Scan> scan;
    std::size_t prefix_size = 0;
    // The sort key: ~created_at then serial, so smaller = newer.
    std::string_view order_key() const { return scan->key().substr(prefix_size); }
};

struct StreamOrder {
    bool operator()(const Stream* a, const Stream* b) const { return a->order_key() > b->order_key(); }
};

}  // namespace

void Store::for_each_event(const Filter& q, const std::function<bool(const Event&)>& visit) const {
    for_each_event_bounded(q, UINT64_MAX, visit);
}

std::optional<std::int64_t> Store::for_each_event_bounded(const Filter& q, std::uint64_t max_entries,
                                                          const std::function<bool(const Event&)>& visit) const {
    const Impl& s = *impl_;
    if (!q.tags.empty() && !s.with_body())
        throw StoreError("a lilbrotr store keeps no tags, so it cannot answer a tag filter");
    std::uint64_t remaining = q.limit.value_or(UINT64_MAX);
    if (remaining == 0) return std::nullopt;
    const std::int64_t since = std::max<std::int64_t>(0, q.since.value_or(0));
    const std::int64_t until = q.until.value_or(INT64_MAX);
    if (since > until || until < 0) return std::nullopt;
    // An empty list matches nothing.
    if ((q.ids && q.ids->empty()) || (q.authors && q.authors->empty()) || (q.kinds && q.kinds->empty())) return std::nullopt;
    for (const auto& [letter, values] : q.tags)
        if (values.empty()) return std::nullopt;

    if (q.ids) {
        std::vector<std::pair<std::uint64_t, Event>> hits;  // (serial, event)
        std::vector<Bytes32> ids = *q.ids;
        std::sort(ids.begin(), ids.end());
        ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
        for (const auto& id : ids) {
            auto serial = s.serial_of(id);
            if (!serial) continue;
            auto e = s.event_by_serial(*serial);
            if (e && q.matches(*e)) hits.emplace_back(*serial, std::move(*e));
        }
        std::sort(hits.begin(), hits.end(), [](const auto& a, const auto& b) {
            if (a.second.created_at != b.second.created_at) return a.second.created_at > b.second.created_at;
            return a.first < b.first;
        });
        // Point lookups: at most one entry per id, so the budget never applies.
        for (auto& [serial, e] : hits) {
            if (!visit(e) || --remaining == 0) return std::nullopt;
        }
        return std::nullopt;
    }

    // Choose the index and the prefixes to scan.
    Cf cf = Cf::idx_created;
    std::vector<std::string> prefixes;
    if (q.authors) {
        cf = Cf::idx_pubkey;
        for (const auto& a : *q.authors) prefixes.push_back(storage::pubkey_prefix(a));
    } else if (!q.tags.empty()) {
        // The letter with the fewest values: fewer streams.
        auto best = std::min_element(q.tags.begin(), q.tags.end(),
                                     [](const auto& a, const auto& b) { return a.second.size() < b.second.size(); });
        cf = Cf::idx_tag;
        for (const auto& v : best->second) prefixes.push_back(storage::tag_prefix(best->first, v));
    } else if (q.kinds) {
        cf = Cf::idx_kind;
        for (auto k : *q.kinds) prefixes.push_back(storage::kind_prefix(k));
    } else {
        prefixes.emplace_back();
    }
    std::sort(prefixes.begin(), prefixes.end());
    prefixes.erase(std::unique(prefixes.begin(), prefixes.end()), prefixes.end());

    std::vector<Stream> streams(prefixes.size());
    std::priority_queue<Stream*, std::vector<Stream*>, StreamOrder> heap;
    for (std::size_t i = 0; i < prefixes.size(); ++i) {
        std::string lower = prefixes[i];
        storage::put_be64(lower, storage::invert_time(until));
        std::string upper = prefixes[i];
        storage::put_be64(upper, storage::invert_time(since));
        upper = prefix_successor(upper);
        streams[i].prefix_size = prefixes[i].size();
        streams[i].scan = std::make_unique<Scan>(s, cf, std::move(lower), std::move(upper));
        if (streams[i].scan->valid()) heap.push(&streams[i]);
    }

    std::string last;  // the previous candidate's order key: one event can be in two streams
    std::uint64_t examined = 0;
    while (!heap.empty()) {
        Stream* top = heap.top();
        std::string_view next_key = top->order_key();
        // The order key starts with the inverted created_at: a new second
        // begins where those 8 bytes change.
        if (examined >= max_entries && !last.empty() && next_key.substr(0, 8) != std::string_view(last).substr(0, 8)) {
            return storage::uninvert_time(storage::get_be64(next_key.data()));
        }
        heap.pop();
        std::string key(next_key);
        top->scan->next();
        if (top->scan->valid()) heap.push(top);
        if (key == last) continue;
        last = key;
        ++examined;
        auto e = s.event_by_serial(storage::trailing_serial(key));
        if (!e) throw StoreError("store " + s.path + ": index entry points at a missing event");
        if (!q.matches(*e)) continue;
        if (!visit(*e) || --remaining == 0) return std::nullopt;
    }
    return std::nullopt;
}

std::vector<Event> Store::query_events(const Filter& q) const {
    std::vector<Event> out;
    for_each_event(q, [&](const Event& e) {
        out.push_back(e);
        return true;
    });
    return out;
}

std::optional<std::int64_t> Store::newest_event_created_at(std::string_view relay_url) const {
    std::string v;
    if (!impl_->get(Cf::counters, storage::relay_counter_key(relay_url), &v)) return std::nullopt;
    auto r = storage::CounterRecord::decode(v);
    if (!r) throw StoreError("store " + impl_->path + ": corrupt relay counter");
    if (!r->has_range) return std::nullopt;
    return r->max;
}

}  // namespace brotr
