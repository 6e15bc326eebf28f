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

// The layout of the store's keys and values, major.minor (docs/store-format.md,
// "Format versions"). A new major changes what existing keys mean: an older
// major is migrated (`brotr migrate`), a newer one refused. A new minor only
// adds what readers of the same major can ignore, so any 2.x brotr opens any
// 2.y store.
// 1: event_ids values are the serial alone.
// 2.0: event_ids values carry a sig digest.
// 2.1: meta holds changelog consumers and retention marks.
inline constexpr std::uint32_t kStoreFormatVersion = 2;  // the major
inline constexpr std::uint32_t kStoreFormatMinor = 1;
inline constexpr std::uint32_t kOldestMigratableFormat = 1;

// Where `brotr` and `brotr-dump` look for the store when no path is given.
inline constexpr std::string_view kDefaultStorePath = "data/brotr.db";

}  // namespace brotr
