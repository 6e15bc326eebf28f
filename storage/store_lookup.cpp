// Point reads: events by id or serial, batched presence checks.
#include <cstring>

#include <rocksdb/slice.h>

#include "storage/event_codec.hpp"
#include "storage/key_order.hpp"
#include "storage/store_impl.hpp"

namespace brotr {

using storage::Cf;

std::vector<std::optional<std::string>> Store::Impl::multi_get(Cf c, const std::vector<std::string>& keys) const {
    const std::vector<std::string_view> views(keys.begin(), keys.end());
    return multi_get(c, views);
}

std::vector<std::optional<std::string>> Store::Impl::multi_get(Cf c, std::span<const std::string_view> keys) const {
    std::vector<std::optional<std::string>> out(keys.size());
    if (keys.empty()) return out;
    // Sorted here, on whole words of the keys, rather than by MultiGet,
    // whose sort compares through the column family's comparator.
    const std::vector<std::uint32_t> order = storage::key_order(keys);
    std::vector<rocksdb::Slice> slices;
    slices.reserve(keys.size());
    for (std::uint32_t i : order) slices.emplace_back(keys[i].data(), keys[i].size());
    std::vector<rocksdb::PinnableSlice> values(keys.size());
    std::vector<rocksdb::Status> statuses(keys.size());
    db().MultiGet(rocksdb::ReadOptions(), cf(c), keys.size(), slices.data(), values.data(), statuses.data(), /*sorted_input=*/true);
    for (std::size_t j = 0; j < keys.size(); ++j) {
        if (statuses[j].IsNotFound()) continue;
        check(statuses[j], "read from " + std::string(storage::cf_name(c)));
        out[order[j]] = values[j].ToString();
    }
    return out;
}

std::optional<Event> Store::Impl::event_by_serial(std::uint64_t serial) const {
    std::string v;
    if (!get(Cf::events, storage::serial_key(serial), &v)) return std::nullopt;
    auto e = storage::decode_event(v, with_body());
    if (!e) throw StoreError("store " + path + ": corrupt event record (serial " + std::to_string(serial) + ")");
    return e;
}

std::vector<Store::Impl::Found> Store::Impl::lookup(std::span<const EventIdentity> events) const {
    std::vector<Found> found(events.size());
    std::vector<std::string_view> keys;
    keys.reserve(events.size());
    for (const auto& e : events) keys.push_back(storage::id_key_view(e.id));
    auto values = multi_get(Cf::event_ids, keys);
    for (std::size_t i = 0; i < events.size(); ++i) {
        if (!values[i]) continue;
        const std::string& v = *values[i];
        if (v.size() != event_ids_value_size()) throw StoreError("store " + path + ": corrupt event_ids entry");
        found[i].serial = storage::get_be64(v.data());
        if (format_major == 1) {  // no digest: the stored event's sig decides (read-only instances)
            const auto stored = event_by_serial(found[i].serial);
            found[i].presence = stored && stored->sig == events[i].sig ? Presence::same_sig : Presence::other_sig;
            continue;
        }
        const auto digest = storage::sig_digest(events[i].sig);
        found[i].presence = std::memcmp(v.data() + storage::kSerialSize, digest.data(), digest.size()) == 0
                                ? Presence::same_sig
                                : Presence::other_sig;
    }
    return found;
}

std::optional<Event> Store::get_event(const Bytes32& id) const {
    auto serial = impl_->serial_of(id);
    if (!serial) return std::nullopt;
    return impl_->event_by_serial(*serial);
}

std::vector<Store::Presence> Store::find_events(std::span<const Event> events) const {
    std::vector<EventIdentity> identities;
    identities.reserve(events.size());
    for (const auto& e : events) identities.push_back({e.id, e.sig});
    auto found = impl_->lookup(identities);
    std::vector<Presence> out;
    out.reserve(found.size());
    for (const auto& f : found) out.push_back(f.presence);
    return out;
}

std::vector<Store::Lookup> Store::lookup_events(std::span<const EventIdentity> events, std::string_view relay_url) const {
    auto found = impl_->lookup(events);
    std::vector<Lookup> out(found.size());
    std::vector<std::string> link_keys;
    std::vector<std::size_t> stored;
    for (std::size_t i = 0; i < found.size(); ++i) {
        out[i].presence = found[i].presence;
        if (found[i].presence == Presence::absent || relay_url.empty()) continue;
        stored.push_back(i);
        link_keys.push_back(storage::event_relay_key(found[i].serial, relay_url));
    }
    auto links = impl_->multi_get(Cf::event_relays, link_keys);
    for (std::size_t j = 0; j < stored.size(); ++j) out[stored[j]].linked = links[j].has_value();
    return out;
}

std::vector<EventRelayRow> Store::event_relays(const Bytes32& id) const {
    std::vector<EventRelayRow> rows;
    auto serial = impl_->serial_of(id);
    if (!serial) return rows;
    std::string prefix = storage::serial_key(*serial);
    for (Scan scan(*impl_, Cf::event_relays, prefix, prefix_successor(prefix)); scan.valid(); scan.next()) {
        if (scan.value().size() != 8) throw StoreError("store " + impl_->path + ": corrupt event_relays entry");
        rows.push_back({id, std::string(scan.key().substr(storage::kSerialSize)),
                        static_cast<std::int64_t>(storage::get_be64(scan.value().data()))});
    }
    return rows;
}

}  // namespace brotr
