// insert_events(): dedup, verification on every core, then one atomic
// WriteBatch with the rows, their index entries, counters and changelog.
//
// Two phases. Without the lock: look up which events are stored and verify
// the others in parallel (the expensive part, shared by concurrent callers).
// Under the writer lock: look again at what was absent (another caller may
// have stored it meanwhile), decide what is new, build and write the batch.
// The lock makes "is it new?" and "write it" one step, so concurrent inserts
// of the same event give one row and one changelog entry.
#include <tuple>
#include <unordered_map>

#include <boost/unordered/unordered_flat_map.hpp>
#include <boost/unordered/unordered_flat_set.hpp>
#include <rocksdb/write_batch.h>

#include "storage/counter_batch.hpp"
#include "storage/event_codec.hpp"
#include "storage/store_impl.hpp"

namespace brotr {

using storage::Cf;

namespace {

using IdHash = Bytes32Hash;

constexpr std::size_t kInlineVerifyLimit = 8;  // below this, threads cost more than they save

// Buffers reused from row to row: a fresh string per key is an allocation
// (most keys are past the short-string size) and a free, ~15 per event.
struct RowBuffers {
    std::string row, key;
};

void put_event_rows(storage::SortedBatch& batch, const Store::Impl& s, const Event& e, std::uint64_t serial,
                    RowBuffers& b) {
    const std::string serial_key = storage::serial_key(serial);
    b.row.clear();
    storage::encode_event(e, s.with_body(), b.row);
    batch.put(Cf::events, serial_key, b.row);
    b.row.clear();
    storage::append_event_ids_value(b.row, serial, e.sig);
    batch.put(Cf::event_ids, storage::id_key_view(e.id), b.row);
    auto index = [&](Cf cf, auto&& append_key) {
        b.key.clear();
        append_key(b.key);
        batch.put(cf, b.key, {});
    };
    index(Cf::idx_created, [&](std::string& k) { storage::append_created_key(k, e.created_at, serial); });
    index(Cf::idx_kind, [&](std::string& k) { storage::append_kind_key(k, e.kind, e.created_at, serial); });
    index(Cf::idx_pubkey, [&](std::string& k) { storage::append_pubkey_key(k, e.pubkey, e.created_at, serial); });
    if (!s.with_body()) return;
    for (const auto& tag : e.tags)
        if (storage::is_indexable_tag(tag))
            index(Cf::idx_tag, [&](std::string& k) { storage::append_tag_key(k, tag[0][0], tag[1], e.created_at, serial); });
}

}  // namespace

InsertResult Store::insert_events(std::span<const EventWithRelay> items, const InsertOptions& options) {
    Impl& s = *impl_;
    s.require_writable();
    const std::size_t n = items.size();
    InsertResult r;
    r.outcomes.assign(n, InsertOutcome::invalid);
    r.errors.assign(n, EventError::ok);
    if (n == 0) return r;
    for (const auto& item : items)
        if (item.relay != nullptr && item.relay->str().find(storage::kUrlTerminator) != std::string::npos)
            throw StoreError("relay URL contains a NUL byte");

    // ---- phase 1: verify what is not stored yet ----
    // Only events still to verify need to know now whether they are stored
    // (a stored event with the same sig is not verified again). Everything
    // is looked up again under the lock anyway.
    std::vector<std::size_t> unchecked;
    if (options.verify)
        for (std::size_t i = 0; i < n; ++i)
            if (!items[i].checked) unchecked.push_back(i);
    std::vector<EventIdentity> probe;
    probe.reserve(unchecked.size());
    for (std::size_t i : unchecked) probe.push_back({items[i].event.id, items[i].event.sig});
    const auto found = s.lookup(probe);
    std::vector<std::size_t> to_verify;
    for (std::size_t j = 0; j < unchecked.size(); ++j)
        if (found[j].presence != Presence::same_sig) to_verify.push_back(unchecked[j]);
    auto verify_one = [&](std::size_t j) { r.errors[to_verify[j]] = check_event(items[to_verify[j]].event); };
    if (to_verify.size() < kInlineVerifyLimit) {
        for (std::size_t j = 0; j < to_verify.size(); ++j) verify_one(j);
    } else {
        s.verify_pool().parallel_for(to_verify.size(), verify_one);
    }

    // ---- phase 2: decide and write, one writer at a time ----
    std::lock_guard lock(s.write_mutex);
    // A direct insert sees, and returns after, a store with nothing pending.
    if (!options.defer) s.commit_pending(DeferredCommit::by_size);
    try {
        // Which events are stored now. Links of a stored event count under
        // the stored event's fields (loaded below when a link is new), not
        // under those of the copy at hand, which may differ if unverified.
        struct Stored {
            std::uint64_t serial;
            Bytes32 pubkey{};
            std::uint16_t kind = 0;
            std::int64_t created_at = 0;
        };
        // Flat tables (no node per entry); `stored` is complete before
        // pointers into it are taken.
        boost::unordered_flat_map<Bytes32, Stored, IdHash> stored;
        std::vector<std::string_view> id_keys;
        id_keys.reserve(n);
        for (std::size_t i = 0; i < n; ++i)
            if (r.errors[i] == EventError::ok) id_keys.push_back(storage::id_key_view(items[i].event.id));
        auto id_values = s.writer_get(Cf::event_ids, id_keys);
        for (std::size_t j = 0; j < id_keys.size(); ++j) {
            if (!id_values[j]) continue;
            if (id_values[j]->size() != storage::kEventIdsValueSize)
                throw StoreError("store " + s.path + ": corrupt event_ids entry");
            stored.emplace(storage::get_bytes<32>(id_keys[j].data()), Stored{storage::get_be64(id_values[j]->data())});
        }

        storage::SortedBatch batch = s.new_batch();
        batch.reserve(s.last_event_batch);
        std::uint64_t serial = s.next_serial;
        std::uint64_t seq = s.next_seq;
        s.forget_known_if_large();
        // Deferred counts add up over the whole commit (written by commit_pending).
        storage::CounterBatch own_counts(s.known_counters);
        storage::CounterBatch& counters = options.defer ? s.pending_counts : own_counts;

        // Relays first: their changelog entries precede the links to them.
        std::vector<std::string> relay_keys;
        std::unordered_map<std::string, const EventWithRelay*> first_item_of_relay;
        for (const auto& item : items)
            if (item.relay != nullptr && !s.known_relays.contains(item.relay->str()) &&
                first_item_of_relay.emplace(item.relay->str(), &item).second)
                relay_keys.push_back(item.relay->str());
        auto relay_rows = s.writer_get(Cf::relays, relay_keys);
        std::size_t relays_added = 0;
        for (std::size_t j = 0; j < relay_keys.size(); ++j) {
            if (relay_rows[j]) continue;
            const EventWithRelay& item = *first_item_of_relay[relay_keys[j]];
            std::string value(1, static_cast<char>(item.relay->network()));
            storage::put_be64(value, static_cast<std::uint64_t>(item.seen_at));
            batch.put(Cf::relays, relay_keys[j], value);
            s.append_changelog(batch, ChangeTable::relays, relay_keys[j], seq);
            counters.add_global(storage::Global::relays);
            ++relays_added;
        }

        // Which events and links are new.
        struct Link {
            std::size_t item;
            std::uint64_t serial;
            bool event_is_new;
            Stored* old = nullptr;  // the stored event, when not new (fields loaded if the link is new)
        };
        std::vector<std::pair<std::size_t, std::uint64_t>> new_events;
        boost::unordered_flat_map<Bytes32, std::uint64_t, IdHash> new_serial;
        std::vector<Link> links;
        for (std::size_t i = 0; i < n; ++i) {
            if (r.errors[i] != EventError::ok) {
                ++r.invalid[static_cast<std::size_t>(r.errors[i])];
                continue;
            }
            const Event& e = items[i].event;
            std::uint64_t event_serial = 0;
            bool is_new = false;
            Stored* old = nullptr;
            if (auto it = stored.find(e.id); it != stored.end()) {
                old = &it->second;
                event_serial = old->serial;
            } else if (auto jt = new_serial.find(e.id); jt != new_serial.end()) {
                event_serial = jt->second;  // a second copy within this batch
            } else {
                event_serial = serial++;
                new_serial.emplace(e.id, event_serial);
                new_events.emplace_back(i, event_serial);
                is_new = true;
            }
            r.outcomes[i] = is_new ? InsertOutcome::stored : InsertOutcome::duplicate;
            ++(is_new ? r.stored : r.duplicates);
            if (items[i].relay != nullptr) links.push_back({i, event_serial, is_new, old});
        }

        // Links of events stored before this batch may exist already; a link
        // may also appear twice in the batch. The first sighting wins.
        std::vector<std::string> link_keys;
        for (const auto& l : links) link_keys.push_back(storage::event_relay_key(l.serial, items[l.item].relay->str()));
        std::vector<std::string_view> old_link_keys;
        for (std::size_t j = 0; j < links.size(); ++j)
            if (!links[j].event_is_new) old_link_keys.push_back(link_keys[j]);
        auto old_links = s.writer_get(Cf::event_relays, old_link_keys);
        boost::unordered_flat_set<std::string_view> existing_links;  // views of link_keys
        for (std::size_t j = 0; j < old_link_keys.size(); ++j)
            if (old_links[j]) existing_links.insert(old_link_keys[j]);
        std::vector<std::size_t> new_links;  // indices into links
        boost::unordered_flat_set<std::string_view> seen_links;
        for (std::size_t j = 0; j < links.size(); ++j)
            if (!existing_links.contains(link_keys[j]) && seen_links.insert(link_keys[j]).second) new_links.push_back(j);

        // Counter keys whose existence decides the distinct counts.
        for (const auto& [i, unused] : new_events) counters.announce_event(items[i].event.pubkey, items[i].event.kind);
        // Fields of the stored events that get a new link.
        std::vector<Stored*> need_header;
        std::vector<std::string> header_keys;
        for (std::size_t j : new_links) {
            if (links[j].old == nullptr) continue;  // new in this batch: the fields are at hand
            Stored* st = links[j].old;
            need_header.push_back(st);
            header_keys.push_back(storage::serial_key(st->serial));
        }
        auto records = s.writer_get(Cf::events, header_keys);
        for (std::size_t j = 0; j < records.size(); ++j) {
            auto header = records[j] ? storage::decode_event_header(*records[j]) : std::nullopt;
            if (!header) throw StoreError("store " + s.path + ": event_ids points at a missing or corrupt event");
            need_header[j]->pubkey = header->pubkey;
            need_header[j]->kind = header->kind;
            need_header[j]->created_at = header->created_at;
        }

        // The fields a link counts under: the stored event's, or the new one's.
        auto link_fields = [&](const Link& l) {
            const Event& e = items[l.item].event;
            return l.old ? std::tuple(l.old->pubkey, l.old->kind, l.old->created_at)
                         : std::tuple(e.pubkey, e.kind, e.created_at);
        };
        for (std::size_t j : new_links) {
            auto [pubkey, kind, created_at] = link_fields(links[j]);
            counters.announce_link(items[links[j].item].relay->str(), pubkey, kind);
        }
        counters.resolve([&](const std::vector<std::string>& keys) {
            auto values = s.writer_get(Cf::counters, keys);
            std::vector<bool> present(keys.size());
            for (std::size_t j = 0; j < keys.size(); ++j) present[j] = values[j].has_value();
            return present;
        });

        // Rows in input order: an event's row precedes its links.
        RowBuffers buffers;
        std::size_t next_new_event = 0, next_new_link = 0;
        for (std::size_t i = 0; i < n; ++i) {
            if (next_new_event < new_events.size() && new_events[next_new_event].first == i) {
                const Event& e = items[i].event;
                const std::uint64_t event_serial = new_events[next_new_event++].second;
                put_event_rows(batch, s, e, event_serial, buffers);
                s.append_changelog(batch, ChangeTable::events, storage::serial_key(event_serial), seq);
                counters.count_event(e.pubkey, e.kind, e.created_at);
            }
            while (next_new_link < new_links.size() && links[new_links[next_new_link]].item == i) {
                const std::size_t j = new_links[next_new_link++];
                const auto& item = items[i];
                const std::string& url = item.relay->str();
                std::string seen;
                storage::put_be64(seen, static_cast<std::uint64_t>(item.seen_at));
                batch.put(Cf::event_relays, link_keys[j], seen);
                buffers.key.clear();
                storage::append_relay_event_key(buffers.key, url, item.seen_at, links[j].serial);
                batch.put(Cf::relay_events, buffers.key, {});
                s.append_changelog(batch, ChangeTable::events_relays, link_keys[j], seq);
                auto [pubkey, kind, created_at] = link_fields(links[j]);
                counters.count_link(url, pubkey, kind, created_at);
            }
        }

        if (!options.defer) counters.write_to(batch);

        s.last_event_batch = batch.shape();
        if (batch.count() > 0) {
            if (options.defer) {
                s.pending.add(std::move(batch));
            } else {
                rocksdb::WriteBatch write;
                batch.write_to(write, s.cf_handles());
                s.write(write, options.sync);
            }
        }
        s.next_serial = serial;
        s.next_seq = seq;
        for (const auto& url : relay_keys) s.known_relays.insert(url);
        r.links_added = new_links.size();
        r.relays_added = relays_added;
    } catch (...) {
        // known_counters may hold keys of the batch that was not written;
        // deferred counts may hold part of it.
        if (options.defer) s.discard_pending();
        else s.known_counters.clear();
        throw;
    }
    return r;
}

}  // namespace brotr
