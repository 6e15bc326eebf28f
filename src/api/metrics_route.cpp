// GET /metrics: the process's metrics (util/metrics.hpp), with the store's
// gauges read at scrape time, in Prometheus text format.
#include "api/route_handlers.hpp"
#include "brotr/store.hpp"
#include "util/metrics.hpp"

namespace brotr::api {

std::string metrics_body(const Store& store) {
    auto& r = metrics::registry();
    const StoreSummary summary = store.summary();
    const Store::DiskUsage disk = store.disk_usage();
    r.gauge("brotr_store_events", "Events in the store.").set(static_cast<double>(summary.events));
    r.gauge("brotr_store_relays", "Relays in the store.").set(static_cast<double>(summary.relays));
    r.gauge("brotr_store_changelog_head", "Number of the newest changelog entry.")
        .set(static_cast<double>(summary.changelog_head));
    const ChangelogStatus changelog = store.changelog_status();
    r.gauge("brotr_store_changelog_entries", "Changelog entries the store holds (head minus trimmed point).")
        .set(static_cast<double>(changelog.entries()));
    for (const ChangelogConsumer& c : changelog.consumers)
        r.gauge("brotr_changelog_consumer_lag_entries", "Changelog entries a registered consumer has not read yet.",
                {{"consumer", c.name}})
            .set(static_cast<double>(changelog.head > c.cursor ? changelog.head - c.cursor : 0));
    r.gauge("brotr_store_sst_bytes", "Bytes of the store's table files.").set(static_cast<double>(disk.sst_bytes));
    r.gauge("brotr_store_pending_compaction_bytes", "Bytes RocksDB estimates it still has to compact.")
        .set(static_cast<double>(disk.pending_compaction_bytes));
    return r.exposition();
}

}  // namespace brotr::api
