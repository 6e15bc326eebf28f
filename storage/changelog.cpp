// The changelog: every new row, numbered, for the exporter to replay.
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <stdexcept>

#include "storage/metadata_codec.hpp"
#include "storage/store_impl.hpp"

namespace brotr {

using storage::Cf;

std::string_view to_string(ChangeTable t) {
    switch (t) {
        case ChangeTable::events: return "events";
        case ChangeTable::events_relays: return "events_relays";
        case ChangeTable::relays: return "relays";
        case ChangeTable::nip11: return "nip11";
        case ChangeTable::nip66: return "nip66";
        case ChangeTable::relay_metadata: return "relay_metadata";
        case ChangeTable::service_state: return "service_state";
    }
    return "?";
}

namespace {

// The highest seq trim_changelog deleted (0 before the first trim).
std::uint64_t trimmed_to(const Store::Impl& s) {
    std::string v;
    return s.get(Cf::meta, kMetaChangelogTrimmed, &v) ? std::stoull(v) : 0;
}

}  // namespace

std::uint64_t Store::changelog_head() const {
    const Impl& s = *impl_;
    rocksdb::ReadOptions ro;
    ro.total_order_seek = true;
    std::unique_ptr<rocksdb::Iterator> it(s.db().NewIterator(ro, s.cf(Cf::changelog)));
    it->SeekToLast();
    s.check(it->status(), "scan changelog");
    if (it->Valid() && it->key().size() == 8) return storage::get_be64(it->key().data());
    return trimmed_to(s);
}

std::vector<ChangelogEntry> Store::read_changelog(std::uint64_t after_seq, std::size_t max_entries) const {
    const Impl& s = *impl_;
    std::vector<ChangelogEntry> out;
    if (max_entries == 0 || after_seq == UINT64_MAX) return out;
    for (Scan scan(s, Cf::changelog, storage::serial_key(after_seq + 1)); scan.valid(); scan.next()) {
        auto v = scan.value();
        if (scan.key().size() != 8 || v.empty() || v[0] < 1 || v[0] > 7)
            throw StoreError("store " + s.path + ": corrupt changelog entry");
        out.push_back({storage::get_be64(scan.key().data()), static_cast<ChangeTable>(v[0]), std::string(v.substr(1))});
        if (out.size() >= max_entries) break;
    }
    return out;
}

std::optional<ChangeRow> Store::fetch_row(const ChangelogEntry& entry) const {
    const Impl& s = *impl_;
    const std::string& key = entry.row_key;
    const auto corrupt = [&] { return StoreError("store " + s.path + ": corrupt changelog row key"); };
    std::string v;
    switch (entry.table) {
        case ChangeTable::events: {
            if (key.size() != 8) throw corrupt();
            auto e = s.event_by_serial(storage::get_be64(key.data()));
            if (!e) return std::nullopt;
            return ChangeRow(std::move(*e));
        }
        case ChangeTable::events_relays: {
            if (key.size() <= 8) throw corrupt();
            if (!s.get(Cf::event_relays, key, &v)) return std::nullopt;
            auto e = s.event_by_serial(storage::get_be64(key.data()));
            if (!e || v.size() != 8) return std::nullopt;
            return ChangeRow(EventRelayRow{e->id, key.substr(8), static_cast<std::int64_t>(storage::get_be64(v.data()))});
        }
        case ChangeTable::relays: {
            auto r = get_relay(key);
            if (!r) return std::nullopt;
            return ChangeRow(std::move(*r));
        }
        case ChangeTable::nip11: {
            if (key.size() != 32) throw corrupt();
            if (!s.get(Cf::nip11, key, &v)) return std::nullopt;
            auto doc = storage::decode_nip11(v);
            if (!doc) throw StoreError("store " + s.path + ": corrupt nip11 row");
            return ChangeRow(Nip11Row{storage::get_bytes<32>(key.data()), std::move(*doc)});
        }
        case ChangeTable::nip66: {
            if (key.size() != 32) throw corrupt();
            if (!s.get(Cf::nip66, key, &v)) return std::nullopt;
            auto r = storage::decode_nip66(v);
            if (!r) throw StoreError("store " + s.path + ": corrupt nip66 row");
            return ChangeRow(Nip66Row{storage::get_bytes<32>(key.data()), *r});
        }
        case ChangeTable::relay_metadata: {
            if (key.size() < 9) throw corrupt();
            if (!s.get(Cf::relay_metadata, key, &v)) return std::nullopt;
            auto refs = storage::decode_snapshot_refs(v);
            if (!refs) throw StoreError("store " + s.path + ": corrupt relay_metadata entry");
            return ChangeRow(RelayMetadataRow{key.substr(0, key.size() - 9),
                                              static_cast<std::int64_t>(storage::get_be64(key.data() + key.size() - 8)),
                                              refs->nip11_id, refs->nip66_id});
        }
        case ChangeTable::service_state: {
            auto st = get_service_state(key);
            if (!st) return std::nullopt;
            return ChangeRow(std::move(*st));
        }
    }
    return std::nullopt;
}

void Store::trim_changelog(std::uint64_t up_to) {
    Impl& s = *impl_;
    s.require_writable();
    std::lock_guard lock(s.write_mutex);
    up_to = std::min(up_to, s.next_seq - 1);
    if (up_to <= trimmed_to(s)) return;
    rocksdb::WriteBatch batch;
    batch.DeleteRange(s.cf(Cf::changelog), storage::serial_key(0), storage::serial_key(up_to + 1));
    batch.Put(s.cf(Cf::meta), std::string(kMetaChangelogTrimmed), std::to_string(up_to));
    s.write(batch, true);
}

namespace {

// A changelog entry's row key is the row's key in this column family.
Cf row_family(ChangeTable table) {
    switch (table) {
        case ChangeTable::events: return Cf::events;
        case ChangeTable::events_relays: return Cf::event_relays;
        case ChangeTable::relays: return Cf::relays;
        case ChangeTable::nip11: return Cf::nip11;
        case ChangeTable::nip66: return Cf::nip66;
        case ChangeTable::relay_metadata: return Cf::relay_metadata;
        case ChangeTable::service_state: return Cf::service_state;
    }
    throw std::invalid_argument("unknown changelog table");
}

}  // namespace

std::vector<ChangelogEntry> Store::table_rows(ChangeTable table, const std::string& after_key,
                                              std::size_t max_rows) const {
    const Impl& s = *impl_;
    std::vector<ChangelogEntry> out;
    // The smallest key after `after_key` is `after_key` followed by a zero byte.
    std::string lower = after_key;
    if (!after_key.empty()) lower.push_back('\0');
    for (Scan scan(s, row_family(table), std::move(lower)); scan.valid() && out.size() < max_rows; scan.next())
        out.push_back({0, table, std::string(scan.key())});
    return out;
}

// ---- consumers and retention ---------------------------------------------------

namespace {

// Mark keys sort by time: the prefix, then the time in 20 decimal digits.
std::string mark_key(std::int64_t at) {
    std::string digits = std::to_string(std::max<std::int64_t>(at, 0));
    return std::string(kMetaChangelogMark) + std::string(20 - digits.size(), '0') + digits;
}

}  // namespace

void Store::set_changelog_consumer(const std::string& name, std::uint64_t cursor, std::int64_t now) {
    Impl& s = *impl_;
    s.require_writable();
    if (name.empty() || name.size() > 128)
        throw std::invalid_argument("a changelog consumer needs a name of 1 to 128 bytes");
    rocksdb::WriteBatch batch;
    batch.Put(s.cf(Cf::meta), std::string(kMetaChangelogConsumer) + name,
              std::to_string(cursor) + " " + std::to_string(now));
    s.write(batch, false);
}

std::uint64_t Store::reserve_changelog_consumer(const std::string& name, std::uint64_t cursor, std::int64_t now) {
    std::string v;
    if (impl_->get(Cf::meta, std::string(kMetaChangelogConsumer) + name, &v)) return std::stoull(v);  // "cursor time"
    set_changelog_consumer(name, cursor, now);
    return cursor;
}

bool Store::drop_changelog_consumer(const std::string& name) {
    Impl& s = *impl_;
    s.require_writable();
    std::string v;
    const std::string key = std::string(kMetaChangelogConsumer) + name;
    if (!s.get(Cf::meta, key, &v)) return false;
    rocksdb::WriteBatch batch;
    batch.Delete(s.cf(Cf::meta), key);
    s.write(batch, true);
    return true;
}

ChangelogStatus Store::changelog_status() const {
    const Impl& s = *impl_;
    ChangelogStatus out;
    out.head = changelog_head();
    out.trimmed_to = trimmed_to(s);
    const std::string_view prefix = kMetaChangelogConsumer;
    for (Scan scan(s, Cf::meta, std::string(prefix), prefix_successor(std::string(prefix))); scan.valid(); scan.next()) {
        ChangelogConsumer c;
        c.name = std::string(scan.key().substr(prefix.size()));
        const std::string value(scan.value());
        const auto space = value.find(' ');
        try {
            if (space == std::string::npos) throw std::invalid_argument("no space");
            c.cursor = std::stoull(value.substr(0, space));
            c.updated_at = std::stoll(value.substr(space + 1));
        } catch (const std::exception&) {
            throw StoreError("store " + s.path + ": corrupt changelog consumer '" + c.name + "'");
        }
        out.consumers.push_back(std::move(c));
    }
    return out;
}

std::uint64_t Store::trim_changelog_by_policy(std::int64_t now, std::int64_t retention) {
    Impl& s = *impl_;
    s.require_writable();
    const ChangelogStatus status = changelog_status();
    {
        rocksdb::WriteBatch batch;
        batch.Put(s.cf(Cf::meta), mark_key(now), std::to_string(status.head));
        s.write(batch, false);
    }
    // The head as it was `retention` ago: the newest mark at or before then.
    std::uint64_t up_to = status.trimmed_to;
    if (retention == 0) {
        up_to = status.head;
    } else {
        const std::string_view prefix = kMetaChangelogMark;
        for (Scan scan(s, Cf::meta, std::string(prefix), mark_key(now - retention + 1)); scan.valid(); scan.next())
            up_to = std::max<std::uint64_t>(up_to, std::stoull(std::string(scan.value())));
    }
    // And no further than every registered consumer has read.
    for (const auto& c : status.consumers) up_to = std::min(up_to, c.cursor);
    trim_changelog(up_to);
    const std::uint64_t trimmed = trimmed_to(s);
    // Marks at or below the trimmed point say nothing any more.
    rocksdb::WriteBatch stale;
    const std::string_view prefix = kMetaChangelogMark;
    for (Scan scan(s, Cf::meta, std::string(prefix), prefix_successor(std::string(prefix))); scan.valid(); scan.next())
        if (trimmed > 0 && std::stoull(std::string(scan.value())) <= trimmed)
            stale.Delete(s.cf(Cf::meta), std::string(scan.key()));
    if (stale.Count() > 0) s.write(stale, false);
    return trimmed;
}

}  // namespace brotr
