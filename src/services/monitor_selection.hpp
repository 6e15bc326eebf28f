// Which relays the monitor checks this cycle: those with no snapshot, or
// whose newest snapshot is at least selection.min_age_since_check old;
// never-checked relays first, then the longest unchecked. Tor relays are left
// out when Tor is disabled. A snapshot dated in the future (the clock was
// set back) makes its relay due, so a clock change cannot stall checks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "brotr/relay_url.hpp"
#include "brotr/store.hpp"

namespace brotr::services {

struct MonitorSelection {
    std::vector<RelayUrl> due;
    std::size_t fresh = 0;        // checked recently enough
    std::size_t tor_skipped = 0;  // .onion relays with Tor disabled
    std::size_t invalid = 0;      // registry URLs that no longer parse
};

MonitorSelection select_relays_due(const std::vector<RelayLatest>& relays, std::int64_t now,
                                   double min_age_since_check, bool tor_enabled);

}  // namespace brotr::services
