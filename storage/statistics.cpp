// The figures of the PostgreSQL statistics views, read from the counters
// that every write maintains (see counter_batch.cpp), never from a scan of
// the events. Cost depends on the size of the answer (kinds, relays,
// authors listed), not on the number of events stored.
#include <algorithm>
#include <limits>

#include "storage/counter_record.hpp"
#include "storage/metadata_codec.hpp"
#include "storage/store_impl.hpp"

namespace brotr {

using storage::Cf;
using storage::CounterRecord;
using storage::Global;

namespace {

CounterRecord decode_counter(const Store::Impl& s, std::string_view v) {
    auto r = CounterRecord::decode(v);
    if (!r) throw StoreError("store " + s.path + ": corrupt counter");
    return *r;
}

CounterRecord read_counter(const Store::Impl& s, const std::string& key) {
    std::string v;
    if (!s.get(Cf::counters, key, &v)) return {};
    return decode_counter(s, v);
}

std::uint64_t global(const Store::Impl& s, Global g) { return read_counter(s, storage::global_counter_key(g)).count; }

// Sum of the histogram buckets of one level with index in [from, to) (no `to`: to the end).
std::uint64_t sum_buckets(const Store::Impl& s, int level, std::uint64_t from, std::optional<std::uint64_t> to) {
    std::string upper = to ? storage::histogram_key(level, *to)
                           : prefix_successor(std::string{'h', static_cast<char>(level)});
    std::uint64_t sum = 0;
    for (Scan scan(s, Cf::counters, storage::histogram_key(level, from), upper); scan.valid(); scan.next())
        sum += decode_counter(s, scan.value()).count;
    return sum;
}

// Events with lo <= created_at < hi, counted from idx_created keys (newest
// first, so the scan runs from hi - 1 down to lo). For spans shorter than a
// histogram bucket: its cost is the number of events in the span.
std::uint64_t created_in_seconds(const Store::Impl& s, std::int64_t lo, std::int64_t hi) {
    if (lo >= hi) return 0;
    std::string lower, upper;
    storage::put_be64(lower, storage::invert_time(hi - 1));
    storage::put_be64(upper, storage::invert_time(lo));
    std::uint64_t n = 0;
    for (Scan scan(s, Cf::idx_created, lower, prefix_successor(upper)); scan.valid(); scan.next()) ++n;
    return n;
}

// Events with lo <= created_at < hi (0 <= lo <= hi): whole 256-second
// buckets from the level-0 histogram, the seconds outside them (fewer than
// 256 at each end) from idx_created.
std::uint64_t created_between(const Store::Impl& s, std::int64_t lo, std::int64_t hi) {
    const std::uint64_t first = (static_cast<std::uint64_t>(lo) + 255) >> 8;  // first whole bucket
    const std::uint64_t end = static_cast<std::uint64_t>(hi) >> 8;            // past the last whole bucket
    if (first >= end) return created_in_seconds(s, lo, hi);
    return created_in_seconds(s, lo, static_cast<std::int64_t>(first << 8)) + sum_buckets(s, 0, first, end) +
           created_in_seconds(s, static_cast<std::int64_t>(end << 8), hi);
}

// Events with created_at >= t: the seconds up to the next 256-second
// boundary from idx_created (at most 255 seconds of events), then whole
// histogram buckets, coarser level by level (at most 255 per level).
std::uint64_t created_at_least(const Store::Impl& s, std::int64_t t, std::uint64_t total) {
    if (t <= 0) return total;
    const auto ut = static_cast<std::uint64_t>(t);
    const std::uint64_t aligned = ((ut + 255) >> 8) << 8;
    std::uint64_t n = created_in_seconds(s, t, static_cast<std::int64_t>(aligned));
    std::uint64_t bucket = aligned >> 8;  // first whole bucket of level 0
    for (int level = 0; level < storage::kHistogramLevels; ++level) {
        if (level == storage::kHistogramLevels - 1) {
            n += sum_buckets(s, level, bucket, std::nullopt);
            break;
        }
        const std::uint64_t parent_end = ((bucket + 255) >> 8) << 8;
        if (parent_end > bucket) n += sum_buckets(s, level, bucket, parent_end);
        bucket = parent_end >> 8;
    }
    return n;
}

// ROUND(AVG(x), 2) of PostgreSQL: the exact mean rounded half away from zero.
Decimal2 rounded_mean(std::int64_t sum, std::int64_t count) {
    const std::int64_t num = sum * 100;
    std::int64_t q = num / count;
    const std::int64_t rem = num % count;
    if (2 * (rem < 0 ? -rem : rem) >= count) q += num < 0 ? -1 : 1;
    return {q};
}

struct RttAverages {
    std::optional<Decimal2> open, read, write;
};

// Mean round-trip times over the relay's newest 10 snapshots that have a NIP-66 row.
RttAverages rtt_averages(const Store::Impl& s, const std::string& url) {
    std::int64_t sum[3] = {0, 0, 0}, count[3] = {0, 0, 0};
    const std::string prefix = storage::relay_metadata_prefix(url);
    rocksdb::ReadOptions ro;
    ro.total_order_seek = true;
    std::unique_ptr<rocksdb::Iterator> it(s.db().NewIterator(ro, s.cf(Cf::relay_metadata)));
    int snapshots = 0;
    std::string row;
    for (it->SeekForPrev(prefix + std::string(8, '\xff')); it->Valid() && it->key().starts_with(prefix) && snapshots < 10;
         it->Prev()) {
        auto refs = storage::decode_snapshot_refs({it->value().data(), it->value().size()});
        if (!refs) throw StoreError("store " + s.path + ": corrupt relay_metadata entry");
        if (!refs->nip66_id) continue;
        ++snapshots;
        if (!s.get(Cf::nip66, storage::id_key(*refs->nip66_id), &row)) continue;
        auto nip66 = storage::decode_nip66(row);
        if (!nip66) throw StoreError("store " + s.path + ": corrupt nip66 row");
        const std::optional<std::int32_t>* rtts[] = {&nip66->rtt_open, &nip66->rtt_read, &nip66->rtt_write};
        for (int i = 0; i < 3; ++i)
            if (*rtts[i]) {
                sum[i] += **rtts[i];
                ++count[i];
            }
    }
    s.check(it->status(), "scan relay_metadata");
    RttAverages a;
    if (count[0]) a.open = rounded_mean(sum[0], count[0]);
    if (count[1]) a.read = rounded_mean(sum[1], count[1]);
    if (count[2]) a.write = rounded_mean(sum[2], count[2]);
    return a;
}

// The relay URL of a 'r'/'s'/'t'/'u' counter key, and what follows its terminator.
std::pair<std::string_view, std::string_view> split_relay_key(const Store::Impl& s, std::string_view key) {
    auto nul = key.find(storage::kUrlTerminator, 1);
    if (nul == std::string_view::npos) throw StoreError("store " + s.path + ": corrupt relay counter key");
    return {key.substr(1, nul - 1), key.substr(nul + 1)};
}

}  // namespace

std::string Decimal2::str() const {
    const bool negative = hundredths < 0;
    const std::uint64_t a = negative ? static_cast<std::uint64_t>(-(hundredths + 1)) + 1 : static_cast<std::uint64_t>(hundredths);
    std::string frac = std::to_string(a % 100);
    if (frac.size() < 2) frac.insert(0, "0");
    return (negative ? "-" : "") + std::to_string(a / 100) + "." + frac;
}

EventsStatistics Store::events_statistics(std::int64_t now) const {
    const Impl& s = *impl_;
    EventsStatistics st;
    const CounterRecord events = read_counter(s, storage::global_counter_key(Global::events));
    st.total_events = events.count;
    if (events.has_range) {
        st.earliest_event_timestamp = events.min;
        st.latest_event_timestamp = events.max;
    }
    st.unique_pubkeys = global(s, Global::pubkeys);
    st.unique_kinds = global(s, Global::kinds);
    st.regular_events = global(s, Global::regular);
    st.replaceable_events = global(s, Global::replaceable);
    st.ephemeral_events = global(s, Global::ephemeral);
    st.addressable_events = global(s, Global::addressable);
    st.events_last_hour = created_at_least(s, now - 3600, st.total_events);
    st.events_last_24h = created_at_least(s, now - 86400, st.total_events);
    st.events_last_7d = created_at_least(s, now - 7 * 86400, st.total_events);
    st.events_last_30d = created_at_least(s, now - 30 * 86400, st.total_events);
    return st;
}

std::vector<std::uint64_t> Store::events_per_day(std::int64_t first_day, std::size_t days) const {
    constexpr std::int64_t kDay = 86400;
    if (first_day < 0 || days > kMaxStatisticsDays ||
        first_day > std::numeric_limits<std::int64_t>::max() / kDay - static_cast<std::int64_t>(days))
        throw StoreError("events_per_day: days " + std::to_string(first_day) + " + " + std::to_string(days) +
                         " out of range");
    const Impl& s = *impl_;
    std::vector<std::uint64_t> out;
    out.reserve(days);
    for (std::size_t i = 0; i < days; ++i) {
        const std::int64_t start = (first_day + static_cast<std::int64_t>(i)) * kDay;
        out.push_back(created_between(s, start, start + kDay));
    }
    return out;
}

std::vector<RelayStatistics> Store::relays_statistics() const {
    const Impl& s = *impl_;
    std::vector<RelayStatistics> out;
    for (const auto& relay : relays()) {
        RelayStatistics r;
        r.relay_url = relay.url;
        r.network = relay.network;
        r.inserted_at = relay.inserted_at;
        const CounterRecord c = read_counter(s, storage::relay_counter_key(relay.url));
        r.event_count = c.count;
        r.unique_pubkeys = c.distinct;
        if (c.has_range) {
            r.first_event_timestamp = c.min;
            r.last_event_timestamp = c.max;
        }
        auto rtt = rtt_averages(s, relay.url);
        r.avg_rtt_open = rtt.open;
        r.avg_rtt_read = rtt.read;
        r.avg_rtt_write = rtt.write;
        out.push_back(std::move(r));
    }
    return out;
}

std::vector<KindCount> Store::kind_counts_total() const {
    const Impl& s = *impl_;
    std::vector<KindCount> out;
    for (Scan scan(s, Cf::counters, "k", "l"); scan.valid(); scan.next()) {
        if (scan.key().size() != 3) throw StoreError("store " + s.path + ": corrupt kind counter key");
        auto c = decode_counter(s, scan.value());
        out.push_back({storage::get_be16(scan.key().data() + 1), c.count, c.distinct});
    }
    std::stable_sort(out.begin(), out.end(), [](const KindCount& a, const KindCount& b) { return a.event_count > b.event_count; });
    return out;
}

std::vector<KindRelayCount> Store::kind_counts_by_relay() const {
    const Impl& s = *impl_;
    std::vector<KindRelayCount> out;
    for (Scan scan(s, Cf::counters, "u", "v"); scan.valid(); scan.next()) {
        auto [url, rest] = split_relay_key(s, scan.key());
        if (rest.size() != 2) throw StoreError("store " + s.path + ": corrupt relay kind counter key");
        auto c = decode_counter(s, scan.value());
        out.push_back({storage::get_be16(rest.data()), std::string(url), c.count, c.distinct});
    }
    return out;
}

void Store::for_each_pubkey_count(const std::function<bool(const PubkeyCount&)>& visit) const {
    const Impl& s = *impl_;
    for (Scan scan(s, Cf::counters, "p", "q"); scan.valid(); scan.next()) {
        if (scan.key().size() != 33) throw StoreError("store " + s.path + ": corrupt author counter key");
        auto c = decode_counter(s, scan.value());
        PubkeyCount p{storage::get_bytes<32>(scan.key().data() + 1), c.count, c.distinct, c.min, c.max};
        if (!visit(p)) return;
    }
}

void Store::for_each_pubkey_relay_count(const std::function<bool(const PubkeyRelayCount&)>& visit) const {
    const Impl& s = *impl_;
    // 's' rows (relay, author) and 't' markers (relay, author, kind) share
    // their order, so one pass over each pairs them up.
    Scan kinds(s, Cf::counters, "t", "u");
    for (Scan scan(s, Cf::counters, "s", "t"); scan.valid(); scan.next()) {
        auto [url, rest] = split_relay_key(s, scan.key());
        if (rest.size() != 32) throw StoreError("store " + s.path + ": corrupt relay author counter key");
        auto c = decode_counter(s, scan.value());
        PubkeyRelayCount p{storage::get_bytes<32>(rest.data()), std::string(url), c.count, c.distinct, c.min, c.max, {}};
        const std::string_view group = scan.key().substr(1);  // url · 0x00 · pubkey
        for (; kinds.valid(); kinds.next()) {
            std::string_view k = kinds.key().substr(1);
            if (k.size() < 2 + 32 + 2) throw StoreError("store " + s.path + ": corrupt relay kind marker key");
            auto head = k.substr(0, k.size() - 2);
            if (head < group) continue;
            if (head > group) break;
            p.kinds_used.push_back(storage::get_be16(k.data() + head.size()));
        }
        if (!visit(p)) return;
    }
}

StoreSummary Store::summary() const {
    const Impl& s = *impl_;
    StoreSummary sum;
    sum.variant = s.variant;
    sum.events = global(s, Global::events);
    sum.event_relays = global(s, Global::links);
    sum.relays = global(s, Global::relays);
    sum.relay_metadata = global(s, Global::snapshots);
    sum.nip11 = global(s, Global::nip11);
    sum.nip66 = global(s, Global::nip66);
    sum.service_states = global(s, Global::service_states);
    sum.changelog_head = changelog_head();
    return sum;
}

}  // namespace brotr
