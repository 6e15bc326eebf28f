// The relay registry and its metadata snapshots: idempotent inserts (the
// PostgreSQL procedures' ON CONFLICT DO NOTHING), content-addressed NIP-11 /
// NIP-66 rows, and the per-relay reads the services need.
#include <algorithm>

#include <rocksdb/write_batch.h>

#include "storage/counter_record.hpp"
#include "storage/metadata_codec.hpp"
#include "storage/store_impl.hpp"

namespace brotr {

using storage::Cf;
using storage::Global;

namespace {

std::string relay_value(Network network, std::int64_t inserted_at) {
    std::string v(1, static_cast<char>(network));
    storage::put_be64(v, static_cast<std::uint64_t>(inserted_at));
    return v;
}

RelayRecord decode_relay(const Store::Impl& s, std::string_view url, std::string_view v) {
    if (v.size() != 9 || static_cast<std::uint8_t>(v[0]) > 1)
        throw StoreError("store " + s.path + ": corrupt relays entry for " + std::string(url));
    return {std::string(url), static_cast<Network>(v[0]), static_cast<std::int64_t>(storage::get_be64(v.data() + 1))};
}

void count_one(rocksdb::WriteBatch& batch, const Store::Impl& s, Global g) {
    storage::CounterRecord one;
    one.count = 1;
    batch.Merge(s.cf(Cf::counters), storage::global_counter_key(g), one.encode());
}

// Adds the relay row (and its changelog entry) unless it exists.
bool stage_relay(rocksdb::WriteBatch& batch, Store::Impl& s, const std::string& url, Network network,
                 std::int64_t inserted_at, std::uint64_t& seq) {
    if (url.find(storage::kUrlTerminator) != std::string::npos) throw StoreError("relay URL contains a NUL byte");
    if (s.known_relays.contains(url) || s.get(Cf::relays, url, nullptr)) return false;
    batch.Put(s.cf(Cf::relays), url, relay_value(network, inserted_at));
    s.append_changelog(batch, ChangeTable::relays, url, seq);
    count_one(batch, s, Global::relays);
    return true;
}

StoredSnapshot decode_snapshot(const Store::Impl& s, std::string_view key, std::string_view value) {
    const auto bad = [&] { return StoreError("store " + s.path + ": corrupt relay_metadata entry"); };
    if (key.size() < 1 + 8) throw bad();
    StoredSnapshot snap;
    snap.relay_url = std::string(key.substr(0, key.size() - 9));
    snap.generated_at = static_cast<std::int64_t>(storage::get_be64(key.data() + key.size() - 8));
    auto refs = storage::decode_snapshot_refs(value);
    if (!refs) throw bad();
    snap.nip11_id = refs->nip11_id;
    snap.nip66_id = refs->nip66_id;
    std::string row;
    if (snap.nip11_id && s.get(Cf::nip11, storage::id_key(*snap.nip11_id), &row)) {
        snap.nip11 = storage::decode_nip11(row);
        if (!snap.nip11) throw StoreError("store " + s.path + ": corrupt nip11 row");
    }
    if (snap.nip66_id && s.get(Cf::nip66, storage::id_key(*snap.nip66_id), &row)) {
        snap.nip66 = storage::decode_nip66(row);
        if (!snap.nip66) throw StoreError("store " + s.path + ": corrupt nip66 row");
    }
    return snap;
}

}  // namespace

bool Store::insert_relay(const RelayUrl& url, std::int64_t inserted_at) {
    return insert_relays(std::span<const RelayUrl>(&url, 1), inserted_at) == 1;
}

std::size_t Store::insert_relays(std::span<const RelayUrl> urls, std::int64_t inserted_at) {
    Impl& s = *impl_;
    s.require_writable();
    std::lock_guard lock(s.write_mutex);
    rocksdb::WriteBatch batch;
    std::uint64_t seq = s.next_seq;
    std::vector<std::string> added;
    for (const auto& url : urls) {
        // A URL twice in the same call: the first one is the new row.
        if (std::find(added.begin(), added.end(), url.str()) != added.end()) continue;
        if (stage_relay(batch, s, url.str(), url.network(), inserted_at, seq)) added.push_back(url.str());
    }
    if (added.empty()) return 0;
    s.write(batch, true);
    s.next_seq = seq;
    for (const auto& url : added) s.known_relays.insert(url);
    return added.size();
}

std::optional<RelayRecord> Store::get_relay(std::string_view url) const {
    std::string v;
    if (!impl_->get(Cf::relays, url, &v)) return std::nullopt;
    return decode_relay(*impl_, url, v);
}

std::vector<RelayRecord> Store::relays() const {
    std::vector<RelayRecord> out;
    for (Scan scan(*impl_, Cf::relays, {}); scan.valid(); scan.next())
        out.push_back(decode_relay(*impl_, scan.key(), scan.value()));
    return out;
}

bool Store::insert_relay_metadata(const RelayMetadata& m) {
    Impl& s = *impl_;
    s.require_writable();
    std::string why;
    auto url = RelayUrl::parse(m.relay_url, &why);
    if (!url) throw StoreError("invalid relay URL '" + m.relay_url + "': " + why);
    if (url->str() != m.relay_url)
        throw StoreError("relay URL '" + m.relay_url + "' is not normalized (expected '" + url->str() + "')");

    // Content ids first: they refuse what PostgreSQL would refuse.
    std::optional<Bytes32> nip11_id, nip66_id;
    try {
        if (m.nip11) nip11_id = compute_nip11_id(*m.nip11);
        if (m.nip66) nip66_id = compute_nip66_id(*m.nip66);
    } catch (const std::exception& e) {
        throw StoreError("metadata of " + m.relay_url + " cannot be stored: " + e.what());
    }

    std::lock_guard lock(s.write_mutex);
    const std::string key = storage::relay_metadata_key(m.relay_url, m.generated_at);
    if (s.get(Cf::relay_metadata, key, nullptr)) return false;
    rocksdb::WriteBatch batch;
    std::uint64_t seq = s.next_seq;
    stage_relay(batch, s, m.relay_url, url->network(), m.generated_at, seq);
    if (nip11_id && !s.get(Cf::nip11, storage::id_key(*nip11_id), nullptr)) {
        batch.Put(s.cf(Cf::nip11), storage::id_key(*nip11_id), storage::encode_nip11(*m.nip11));
        s.append_changelog(batch, ChangeTable::nip11, storage::id_key(*nip11_id), seq);
        count_one(batch, s, Global::nip11);
    }
    if (nip66_id && !s.get(Cf::nip66, storage::id_key(*nip66_id), nullptr)) {
        batch.Put(s.cf(Cf::nip66), storage::id_key(*nip66_id), storage::encode_nip66(*m.nip66));
        s.append_changelog(batch, ChangeTable::nip66, storage::id_key(*nip66_id), seq);
        count_one(batch, s, Global::nip66);
    }
    batch.Put(s.cf(Cf::relay_metadata), key, storage::encode_snapshot_refs({nip11_id, nip66_id}));
    s.append_changelog(batch, ChangeTable::relay_metadata, key, seq);
    count_one(batch, s, Global::snapshots);
    s.write(batch, true);
    s.next_seq = seq;
    s.known_relays.insert(m.relay_url);
    return true;
}

std::vector<StoredSnapshot> Store::metadata_history(std::string_view relay_url, std::size_t limit) const {
    std::vector<StoredSnapshot> out;
    if (limit == 0) return out;
    const std::string prefix = storage::relay_metadata_prefix(relay_url);
    rocksdb::ReadOptions ro;
    ro.total_order_seek = true;
    std::unique_ptr<rocksdb::Iterator> it(impl_->db().NewIterator(ro, impl_->cf(Cf::relay_metadata)));
    // Newest first: from the end of the relay's range backwards.
    std::string last = prefix + std::string(8, '\xff');
    for (it->SeekForPrev(last); it->Valid() && it->key().starts_with(prefix); it->Prev()) {
        out.push_back(decode_snapshot(*impl_, {it->key().data(), it->key().size()},
                                      {it->value().data(), it->value().size()}));
        if (out.size() >= limit) break;
    }
    impl_->check(it->status(), "scan relay_metadata");
    return out;
}

std::optional<StoredSnapshot> Store::latest_metadata(std::string_view relay_url) const {
    auto h = metadata_history(relay_url, 1);
    if (h.empty()) return std::nullopt;
    return std::move(h.front());
}

std::vector<RelayLatest> Store::relay_metadata_latest() const {
    std::vector<RelayLatest> out;
    for (auto& relay : relays()) {
        auto latest = latest_metadata(relay.url);
        out.push_back({std::move(relay), std::move(latest)});
    }
    return out;
}

}  // namespace brotr
