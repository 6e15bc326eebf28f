#include "exporters/export_batch.hpp"

#include <string_view>
#include <unordered_set>
#include <variant>

#include "brotr/hex.hpp"

namespace brotr::pg {

std::uint64_t TableCounts::total() const {
    std::uint64_t n = 0;
    for (auto v : by_table) n += v;
    return n;
}

TableCounts& TableCounts::operator+=(const TableCounts& other) {
    for (std::size_t i = 0; i < by_table.size(); ++i) by_table[i] += other.by_table[i];
    return *this;
}

namespace {

template <typename Buffer>
class Stager {
public:
    Stager(const Store& store, const StagingOptions& options, UnexportableEvents& unexportable, StagedBatch& batch)
        : store_(store), options_(options), unexportable_(unexportable), batch_(batch) {}

    void add(const ChangelogEntry& entry) {
        auto row = store_.fetch_row(entry);
        if (!row)
            throw StoreError("changelog entry " + std::to_string(entry.seq) + " names a " +
                             std::string(to_string(entry.table)) + " row the store does not have");
        std::visit([&](const auto& r) { add_row(entry.seq, r); }, *row);
    }

    void finish() {
        for (ChangeTable t : kMergeOrder) {
            Buffer& b = buffer(t);
            batch_.staged[t] = b.rows();
            if (!b.empty()) batch_.copy_data[static_cast<std::size_t>(t)] = b.finish();
        }
    }

private:
    Buffer& buffer(ChangeTable t) { return buffers_[static_cast<std::size_t>(t)]; }

    void skip(std::uint64_t seq, ChangeTable table, std::string key, std::string reason) {
        batch_.skipped.push_back({seq, table, std::move(key), std::move(reason)});
    }

    void add_row(std::uint64_t seq, const Event& e) {
        if (auto reason = unexportable_reason(e, options_.events)) {
            unexportable_.emplace(e.id, *reason);
            skip(seq, ChangeTable::events, to_hex(e.id), std::move(*reason));
            return;
        }
        stage_event(e);
    }

    void stage_event(const Event& e) {
        if (options_.self_contained && !staged_events_.insert(e.id).second) return;
        encode_event(e, options_.events, buffer(ChangeTable::events));
    }

    void add_row(std::uint64_t seq, const EventRelayRow& link) {
        if (auto known = unexportable_.find(link.event_id); known != unexportable_.end()) {
            skip(seq, ChangeTable::events_relays, to_hex(link.event_id) + " " + link.relay_url,
                 "its event is not exported: " + known->second);
            return;
        }
        if (options_.self_contained) {
            auto event = store_.get_event(link.event_id);
            if (!event) throw StoreError("the store has a relay link of event " + to_hex(link.event_id) + " but not the event");
            if (auto reason = unexportable_reason(*event, options_.events)) {
                skip(seq, ChangeTable::events_relays, to_hex(link.event_id) + " " + link.relay_url,
                     "its event is not exported: " + *reason);
                unexportable_.emplace(event->id, std::move(*reason));
                return;
            }
            stage_event(*event);
            stage_relay_by_url(link.relay_url);
        }
        encode_event_relay(link, buffer(ChangeTable::events_relays));
    }

    void add_row(std::uint64_t, const RelayRecord& r) { stage_relay(r); }

    void stage_relay(const RelayRecord& r) {
        if (options_.self_contained && !staged_relays_.insert(r.url).second) return;
        encode_relay(r, buffer(ChangeTable::relays));
    }

    void stage_relay_by_url(const std::string& url) {
        if (staged_relays_.contains(url)) return;
        auto relay = store_.get_relay(url);
        if (!relay) throw StoreError("the store has rows of relay " + url + " but not the relay");
        stage_relay(*relay);
    }

    void add_row(std::uint64_t, const Nip11Row& r) { stage_nip11(r); }
    void stage_nip11(const Nip11Row& r) {
        if (options_.self_contained && !staged_nip11_.insert(r.id).second) return;
        encode_nip11(r, buffer(ChangeTable::nip11));
    }

    void add_row(std::uint64_t, const Nip66Row& r) { stage_nip66(r); }
    void stage_nip66(const Nip66Row& r) {
        if (options_.self_contained && !staged_nip66_.insert(r.id).second) return;
        encode_nip66(r, buffer(ChangeTable::nip66));
    }

    void add_row(std::uint64_t, const RelayMetadataRow& r) {
        if (options_.self_contained) {
            stage_relay_by_url(r.relay_url);
            stage_snapshot_documents(r);
        }
        encode_relay_metadata(r, buffer(ChangeTable::relay_metadata));
    }

    // The NIP-11 / NIP-66 rows a snapshot points at, from the relay's history.
    void stage_snapshot_documents(const RelayMetadataRow& r) {
        if (!r.nip11_id && !r.nip66_id) return;
        for (const StoredSnapshot& s : store_.metadata_history(r.relay_url)) {
            if (s.generated_at != r.generated_at) continue;
            if (r.nip11_id && s.nip11) stage_nip11({*r.nip11_id, *s.nip11});
            if (r.nip66_id && s.nip66) stage_nip66({*r.nip66_id, *s.nip66});
            return;
        }
        throw StoreError("the store has no snapshot of " + r.relay_url + " at " + std::to_string(r.generated_at));
    }

    void add_row(std::uint64_t seq, const ServiceState& s) {
        // Every entry of a service fetches its current state: stage it once.
        if (!staged_services_.insert(s.name).second) return;
        if (auto reason = unexportable_reason(s)) {
            skip(seq, ChangeTable::service_state, s.name, std::move(*reason));
            return;
        }
        encode_service_state(s, buffer(ChangeTable::service_state));
    }

    const Store& store_;
    const StagingOptions& options_;
    UnexportableEvents& unexportable_;
    StagedBatch& batch_;
    std::array<Buffer, 8> buffers_;
    EventIdSet staged_events_;
    EventIdSet staged_nip11_;
    EventIdSet staged_nip66_;
    std::unordered_set<std::string> staged_relays_;
    std::unordered_set<std::string> staged_services_;
};

template <typename Buffer>
void stage_with(const Store& store, std::span<const ChangelogEntry> entries, const StagingOptions& options,
                UnexportableEvents& unexportable, StagedBatch& batch) {
    Stager<Buffer> stager(store, options, unexportable, batch);
    for (const ChangelogEntry& entry : entries) stager.add(entry);
    stager.finish();
}

}  // namespace

StagedBatch stage_batch(const Store& store, std::span<const ChangelogEntry> entries, const StagingOptions& options,
                        UnexportableEvents& unexportable_events) {
    StagedBatch batch;
    if (entries.empty()) return batch;
    batch.first_seq = entries.front().seq;
    batch.last_seq = entries.back().seq;
    batch.entries = entries.size();
    if (options.format == CopyFormat::binary)
        stage_with<BinaryCopyBuffer>(store, entries, options, unexportable_events, batch);
    else
        stage_with<TextCopyBuffer>(store, entries, options, unexportable_events, batch);
    return batch;
}

}  // namespace brotr::pg
