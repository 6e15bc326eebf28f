// Per-service persistent state: one JSON document per service name.
#include <nlohmann/json.hpp>
#include <rocksdb/write_batch.h>

#include "storage/counter_record.hpp"
#include "storage/store_impl.hpp"

namespace brotr {

using storage::Cf;

namespace {

std::string state_value(std::string_view json, std::int64_t updated_at) {
    std::string v;
    storage::put_be64(v, static_cast<std::uint64_t>(updated_at));
    v.append(json);
    return v;
}

ServiceState decode_state(const Store::Impl& s, std::string_view name, std::string_view v) {
    if (v.size() < 8) throw StoreError("store " + s.path + ": corrupt service_state entry for " + std::string(name));
    return {std::string(name), std::string(v.substr(8)), static_cast<std::int64_t>(storage::get_be64(v.data()))};
}

}  // namespace

void Store::put_service_state(std::string_view service, std::string_view state_json, std::int64_t updated_at) {
    Impl& s = *impl_;
    s.require_writable();
    if (service.empty()) throw StoreError("service state needs a service name");
    if (!nlohmann::json::accept(state_json))
        throw StoreError("state of service '" + std::string(service) + "' is not valid JSON");
    const std::string value = state_value(state_json, updated_at);
    std::lock_guard lock(s.write_mutex);
    std::string old;
    const bool existed = s.get(Cf::service_state, service, &old);
    if (existed && old == value) return;  // nothing changed, nothing to export
    rocksdb::WriteBatch batch;
    std::uint64_t seq = s.next_seq;
    batch.Put(s.cf(Cf::service_state), rocksdb::Slice(service.data(), service.size()), value);
    s.append_changelog(batch, ChangeTable::service_state, service, seq);
    if (!existed) {
        storage::CounterRecord one;
        one.count = 1;
        batch.Merge(s.cf(Cf::counters), storage::global_counter_key(storage::Global::service_states), one.encode());
    }
    s.write(batch, true);
    s.next_seq = seq;
}

std::optional<ServiceState> Store::get_service_state(std::string_view service) const {
    std::string v;
    if (!impl_->get(Cf::service_state, service, &v)) return std::nullopt;
    return decode_state(*impl_, service, v);
}

std::vector<ServiceState> Store::service_states() const {
    std::vector<ServiceState> out;
    for (Scan scan(*impl_, Cf::service_state, {}); scan.valid(); scan.next())
        out.push_back(decode_state(*impl_, scan.key(), scan.value()));
    return out;
}

}  // namespace brotr
