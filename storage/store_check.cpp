// check(): a full scan that proves the store consistent. Every index entry
// must point at a stored event whose fields match the entry, each index must
// hold exactly one entry per event (equal counts plus valid entries), links
// must agree in both directions, and every counter must equal a recount
// made from the rows.
#include <unordered_map>
#include <unordered_set>

#include "brotr/hex.hpp"
#include "storage/counter_batch.hpp"
#include "storage/event_codec.hpp"
#include "storage/metadata_codec.hpp"
#include "storage/store_impl.hpp"

namespace brotr {

using storage::Cf;
using storage::Global;

namespace {

constexpr std::size_t kMaxProblems = 100;

class Checker {
public:
    Checker(const Store::Impl& s, CheckReport& report, const rocksdb::Snapshot* snap)
        : s_(s), report_(report), snap_(snap), expected_(known_) {}

    void run() {
        scan_events();
        scan_event_ids();
        scan_index(Cf::idx_created, expected_created_);
        scan_index(Cf::idx_kind, expected_created_);
        scan_index(Cf::idx_pubkey, expected_created_);
        if (s_.with_body()) scan_index(Cf::idx_tag, expected_tags_);
        scan_links();
        scan_relay_events();
        scan_registry();
        compare_counters();
    }

private:
    void problem(std::string text) {
        if (report_.problems.size() < kMaxProblems) report_.problems.push_back(std::move(text));
        else if (report_.problems.size() == kMaxProblems) report_.problems.push_back("(more problems not listed)");
    }

    std::optional<storage::EventHeader> header(std::uint64_t serial) {
        std::string v;
        if (!s_.get(Cf::events, storage::serial_key(serial), &v, snap_)) return std::nullopt;
        return storage::decode_event_header(v);
    }

    void scan_events() {
        for (Scan scan(s_, Cf::events, {}, {}, snap_); scan.valid(); scan.next()) {
            ++report_.events;
            if (scan.key().size() != 8) {
                problem("events: key of bad length");
                continue;
            }
            const std::uint64_t serial = storage::get_be64(scan.key().data());
            auto e = storage::decode_event(scan.value(), s_.with_body());
            if (!e) {
                problem("events: serial " + std::to_string(serial) + " does not decode");
                continue;
            }
            std::string v;
            if (!s_.get(Cf::event_ids, storage::id_key(e->id), &v, snap_) ||
                v != (s_.format_major == 1 ? storage::serial_key(serial) : storage::event_ids_value(serial, e->sig)))
                problem("event " + to_hex(e->id) + " is missing from event_ids");
            ++expected_created_;
            if (s_.with_body()) {
                std::unordered_set<std::string> keys;
                for (const auto& tag : e->tags)
                    if (storage::is_indexable_tag(tag)) keys.insert(storage::tag_key(tag[0][0], tag[1], e->created_at, serial));
                expected_tags_ += keys.size();
            }
            expected_.count_event(e->pubkey, e->kind, e->created_at);
        }
    }

    void scan_event_ids() {
        std::uint64_t n = 0;
        for (Scan scan(s_, Cf::event_ids, {}, {}, snap_); scan.valid(); scan.next()) {
            ++n;
            if (scan.key().size() != 32 || scan.value().size() != s_.event_ids_value_size()) {
                problem("event_ids: entry of bad length");
                continue;
            }
            auto h = header(storage::get_be64(scan.value().data()));
            if (!h || h->id != storage::get_bytes<32>(scan.key().data()))
                problem("event_ids: " + to_hex(storage::get_bytes<32>(scan.key().data())) + " points at no such event");
        }
        if (n != report_.events)
            problem("event_ids has " + std::to_string(n) + " entries for " + std::to_string(report_.events) + " events");
    }

    bool entry_matches(Cf cf, std::string_view key, const storage::EventHeader& h, std::uint64_t serial) {
        if (storage::index_created_at(key) != h.created_at) return false;
        switch (cf) {
            case Cf::idx_created: return key == storage::created_key(h.created_at, serial);
            case Cf::idx_kind: return key == storage::kind_key(h.kind, h.created_at, serial);
            case Cf::idx_pubkey: return key == storage::pubkey_key(h.pubkey, h.created_at, serial);
            case Cf::idx_tag: {
                std::string v;
                if (!s_.get(Cf::events, storage::serial_key(serial), &v, snap_)) return false;
                auto e = storage::decode_event(v, true);
                if (!e) return false;
                for (const auto& tag : e->tags)
                    if (storage::is_indexable_tag(tag) && key == storage::tag_key(tag[0][0], tag[1], h.created_at, serial))
                        return true;
                return false;
            }
            default: return false;
        }
    }

    void scan_index(Cf cf, std::uint64_t expected) {
        const std::string name(storage::cf_name(cf));
        std::uint64_t n = 0;
        for (Scan scan(s_, cf, {}, {}, snap_); scan.valid(); scan.next()) {
            ++n;
            ++report_.index_entries;
            if (scan.key().size() < 16) {
                problem(name + ": entry of bad length");
                continue;
            }
            const std::uint64_t serial = storage::trailing_serial(scan.key());
            auto h = header(serial);
            if (!h) problem(name + ": entry points at missing event serial " + std::to_string(serial));
            else if (!entry_matches(cf, scan.key(), *h, serial))
                problem(name + ": entry does not match event " + to_hex(h->id));
        }
        if (n != expected)
            problem(name + " has " + std::to_string(n) + " entries; the events need " + std::to_string(expected));
    }

    void scan_links() {
        for (Scan scan(s_, Cf::event_relays, {}, {}, snap_); scan.valid(); scan.next()) {
            ++links_;
            ++report_.index_entries;
            if (scan.key().size() <= 8 || scan.value().size() != 8) {
                problem("event_relays: entry of bad length");
                continue;
            }
            const std::uint64_t serial = storage::get_be64(scan.key().data());
            const std::string url(scan.key().substr(8));
            const auto seen_at = static_cast<std::int64_t>(storage::get_be64(scan.value().data()));
            auto h = header(serial);
            if (!h) {
                problem("event_relays: link to missing event serial " + std::to_string(serial));
                continue;
            }
            if (!s_.get(Cf::relays, url, nullptr, snap_)) problem("event_relays: relay " + url + " is not registered");
            if (!s_.get(Cf::relay_events, storage::relay_event_key(url, seen_at, serial), nullptr, snap_))
                problem("relay_events lacks the link of " + to_hex(h->id) + " to " + url);
            expected_.count_link(url, h->pubkey, h->kind, h->created_at);
        }
    }

    void scan_relay_events() {
        std::uint64_t n = 0;
        for (Scan scan(s_, Cf::relay_events, {}, {}, snap_); scan.valid(); scan.next()) {
            ++n;
            ++report_.index_entries;
            auto key = scan.key();
            auto nul = key.find(storage::kUrlTerminator);
            if (nul == std::string_view::npos || key.size() != nul + 1 + 16) {
                problem("relay_events: entry of bad form");
                continue;
            }
            const std::uint64_t serial = storage::trailing_serial(key);
            std::string v;
            if (!s_.get(Cf::event_relays, storage::event_relay_key(serial, key.substr(0, nul)), &v, snap_) ||
                v != key.substr(nul + 1, 8))
                problem("relay_events: entry for serial " + std::to_string(serial) + " has no matching link");
        }
        if (n != links_)
            problem("relay_events has " + std::to_string(n) + " entries for " + std::to_string(links_) + " links");
    }

    void count_rows(Cf cf, Global g) {
        std::uint64_t n = 0;
        for (Scan scan(s_, cf, {}, {}, snap_); scan.valid(); scan.next()) ++n;
        if (n) expected_.add_global(g, n);
    }

    void scan_registry() {
        count_rows(Cf::relays, Global::relays);
        count_rows(Cf::nip11, Global::nip11);
        count_rows(Cf::nip66, Global::nip66);
        count_rows(Cf::service_state, Global::service_states);
        std::uint64_t snapshots = 0;
        for (Scan scan(s_, Cf::relay_metadata, {}, {}, snap_); scan.valid(); scan.next()) {
            ++snapshots;
            auto key = scan.key();
            auto refs = storage::decode_snapshot_refs(scan.value());
            if (key.size() < 9 || key[key.size() - 9] != storage::kUrlTerminator || !refs) {
                problem("relay_metadata: entry of bad form");
                continue;
            }
            const std::string url(key.substr(0, key.size() - 9));
            if (!s_.get(Cf::relays, url, nullptr, snap_)) problem("relay_metadata: relay " + url + " is not registered");
            if (refs->nip11_id && !s_.get(Cf::nip11, storage::id_key(*refs->nip11_id), nullptr, snap_))
                problem("relay_metadata of " + url + " points at a missing nip11 row");
            if (refs->nip66_id && !s_.get(Cf::nip66, storage::id_key(*refs->nip66_id), nullptr, snap_))
                problem("relay_metadata of " + url + " points at a missing nip66 row");
        }
        if (snapshots) expected_.add_global(Global::snapshots, snapshots);
    }

    static std::string describe_key(std::string_view key) {
        return "'" + std::string(1, key.empty() ? '?' : key[0]) + "' " +
               to_hex(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(key.data()), key.size()));
    }

    void compare_counters() {
        std::unordered_map<std::string, storage::CounterRecord> merges;
        expected_.for_each_merge([&](const std::string& key, const storage::CounterRecord& r) { merges[key].add(r); });
        std::unordered_set<std::string> markers(expected_.markers().begin(), expected_.markers().end());
        for (Scan scan(s_, Cf::counters, {}, {}, snap_); scan.valid(); scan.next()) {
            ++report_.counters;
            const std::string key(scan.key());
            if (!key.empty() && (key[0] == 'q' || key[0] == 't')) {
                if (markers.erase(key) == 0) problem("counter marker " + describe_key(key) + " has no rows behind it");
                continue;
            }
            auto stored = storage::CounterRecord::decode(scan.value());
            auto it = merges.find(key);
            if (!stored) problem("counter " + describe_key(key) + " does not decode");
            else if (it == merges.end()) problem("counter " + describe_key(key) + " has no rows behind it");
            else if (!(*stored == it->second))
                problem("counter " + describe_key(key) + " is " + std::to_string(stored->count) + "/" +
                        std::to_string(stored->distinct) + ", a recount gives " + std::to_string(it->second.count) + "/" +
                        std::to_string(it->second.distinct));
            if (it != merges.end()) merges.erase(it);
        }
        for (const auto& [key, record] : merges) problem("counter " + describe_key(key) + " is missing");
        for (const auto& key : markers) problem("counter marker " + describe_key(key) + " is missing");
    }

    const Store::Impl& s_;
    CheckReport& report_;
    const rocksdb::Snapshot* snap_;
    storage::KnownCounters known_;
    storage::CounterBatch expected_;
    std::uint64_t expected_created_ = 0;
    std::uint64_t expected_tags_ = 0;
    std::uint64_t links_ = 0;
};

}  // namespace

CheckReport Store::check() const {
    const Impl& s = *impl_;
    CheckReport report;
    // The writer keeps writing while we scan: read one point in time. (A
    // secondary instance changes only on catch_up(), so it is fixed already.)
    const rocksdb::Snapshot* snap = s.options.mode == OpenMode::read_write ? s.db().GetSnapshot() : nullptr;
    try {
        Checker(s, report, snap).run();
    } catch (...) {
        if (snap) s.db().ReleaseSnapshot(snap);
        throw;
    }
    if (snap) s.db().ReleaseSnapshot(snap);
    return report;
}

}  // namespace brotr
