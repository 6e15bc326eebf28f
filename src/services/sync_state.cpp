#include "services/sync_state.hpp"

#include <nlohmann/json.hpp>

namespace brotr::services {

std::optional<std::int64_t> SyncState::timestamp(std::string_view url) const {
    auto it = relay_timestamps.find(url);
    if (it == relay_timestamps.end()) return std::nullopt;
    return it->second;
}

std::string SyncState::to_json() const {
    nlohmann::json timestamps = nlohmann::json::object();
    for (const auto& [url, ts] : relay_timestamps) timestamps[url] = ts;
    nlohmann::json doc = nlohmann::json::object();
    doc["relay_timestamps"] = std::move(timestamps);
    return doc.dump();
}

std::optional<SyncState> SyncState::from_json(std::string_view json, std::size_t* skipped) {
    if (skipped) *skipped = 0;
    nlohmann::json doc = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
    if (!doc.is_object()) return std::nullopt;
    SyncState state;
    auto it = doc.find("relay_timestamps");
    if (it == doc.end()) return state;
    if (!it->is_object()) {
        if (skipped) *skipped = 1;
        return state;
    }
    for (const auto& [url, value] : it->items()) {
        if (!value.is_number_integer()) {
            if (skipped) ++*skipped;
            continue;
        }
        state.relay_timestamps[url] = value.get<std::int64_t>();
    }
    return state;
}

}  // namespace brotr::services
