// What kind of store a path holds, and where it lives by default: all that
// configuration needs to know of the store (config.hpp includes this, not
// store.hpp, so configuration sits below storage).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace brotr {

// Fixed when the store is created. lilbrotr keeps neither tags nor content.
enum class StoreVariant : std::uint8_t { bigbrotr, lilbrotr };

inline std::string_view to_string(StoreVariant v) { return v == StoreVariant::lilbrotr ? "lilbrotr" : "bigbrotr"; }

inline std::optional<StoreVariant> store_variant_from_string(std::string_view s) {
    if (s == "bigbrotr") return StoreVariant::bigbrotr;
    if (s == "lilbrotr") return StoreVariant::lilbrotr;
    return std::nullopt;
}

// The layout of the store's keys and values (docs/store-format.md, CHANGELOG.md).
// 2: event_ids values carry a sig digest.
inline constexpr std::uint32_t kStoreFormatVersion = 2;

// Where `brotr` and `brotr-dump` look for the store when no path is given.
inline constexpr std::string_view kDefaultStorePath = "data/brotr.db";

}  // namespace brotr
