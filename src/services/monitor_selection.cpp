#include "services/monitor_selection.hpp"

#include <algorithm>
#include <limits>

namespace brotr::services {

MonitorSelection select_relays_due(const std::vector<RelayLatest>& relays, std::int64_t now,
                                   double min_age_since_check, bool tor_enabled) {
    MonitorSelection selection;
    struct Due {
        std::int64_t last_checked;  // lowest for never-checked relays
        RelayUrl url;
    };
    std::vector<Due> due;
    for (const RelayLatest& row : relays) {
        auto url = RelayUrl::parse(row.relay.url);
        if (!url) {
            ++selection.invalid;
            continue;
        }
        if (url->network() == Network::tor && !tor_enabled) {
            ++selection.tor_skipped;
            continue;
        }
        const std::int64_t age = row.latest ? now - row.latest->generated_at : 0;
        // A snapshot from the future (the clock went back) does not hold the relay back.
        if (row.latest && age >= 0 && static_cast<double>(age) < min_age_since_check) {
            ++selection.fresh;
            continue;
        }
        due.push_back({row.latest ? row.latest->generated_at : std::numeric_limits<std::int64_t>::min(),
                       std::move(*url)});
    }
    std::stable_sort(due.begin(), due.end(),
                     [](const Due& a, const Due& b) { return a.last_checked < b.last_checked; });
    selection.due.reserve(due.size());
    for (Due& d : due) selection.due.push_back(std::move(d.url));
    return selection;
}

}  // namespace brotr::services
