#include "services/changelog_service.hpp"

#include "brotr/log.hpp"
#include "brotr/store.hpp"
#include "util/clock.hpp"

namespace brotr::services {

std::chrono::seconds ChangelogService::interval() const {
    return std::chrono::seconds(static_cast<std::int64_t>(config_.trim_interval));
}

// Runs on the I/O thread: a few meta reads and writes and one range delete,
// less than a relay session's parse of one answer.
boost::asio::awaitable<runtime::CycleReport> ChangelogService::run_cycle(runtime::Shutdown&) {
    const std::int64_t now = unix_now();
    const auto retention = static_cast<std::int64_t>(config_.retention);
    const ChangelogStatus before = store_.changelog_status();
    const std::uint64_t trimmed_to = store_.trim_changelog_by_policy(now, retention);
    for (const ChangelogConsumer& c : before.consumers) {
        if (c.cursor < before.head && now - c.updated_at > std::max<std::int64_t>(retention, 86400))
            log::warn(kName, "consumer_stalled",
                      {{"consumer", c.name}, {"cursor", c.cursor}, {"behind", before.head - c.cursor},
                       {"updated_at", c.updated_at},
                       {"hint", "it holds back every later entry; if it is gone for good: brotr changelog --drop " + c.name}});
    }
    runtime::CycleReport report;
    report.add_number("head", before.head);
    report.add_number("trimmed", trimmed_to - before.trimmed_to);
    report.add_number("entries", before.head - trimmed_to);
    report.add_number("consumers", before.consumers.size());
    co_return report;
}

}  // namespace brotr::services
