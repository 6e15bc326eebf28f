// The synchronizer's saved state (service_state "synchronizer", JSON):
//   {"relay_timestamps": {"wss://relay.example": 1700000000, ...}}
// the created_at up to which each relay has been archived completely.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace brotr::services {

struct SyncState {
    std::map<std::string, std::int64_t, std::less<>> relay_timestamps;

    std::optional<std::int64_t> timestamp(std::string_view url) const;

    std::string to_json() const;

    // Entries that are not a relay URL with an integer timestamp are skipped
    // (counted in `skipped`), so a damaged entry costs one relay a full
    // window rather than the whole state. Nullopt when the text is not a JSON
    // object at all.
    static std::optional<SyncState> from_json(std::string_view json, std::size_t* skipped = nullptr);
};

}  // namespace brotr::services
