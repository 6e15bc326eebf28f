#include "services/backup_service.hpp"

#include <boost/asio/thread_pool.hpp>

#include "brotr/backup.hpp"
#include "brotr/log.hpp"
#include "brotr/store.hpp"
#include "runtime/blocking.hpp"
#include "runtime/shutdown.hpp"
#include "services/service_metrics.hpp"

namespace brotr::services {

BackupService::BackupService(Store& store, BackupConfig config)
    : store_(store), config_(std::move(config)), pool_(std::make_unique<boost::asio::thread_pool>(1)) {}

BackupService::~BackupService() { pool_->join(); }

// A backup under way when the process stops runs to its end here, before
// the store closes (the runner destroys the services first).
void BackupService::persist_state() { pool_->join(); }

std::chrono::seconds BackupService::interval() const {
    return std::chrono::seconds(static_cast<std::int64_t>(config_.interval));
}

boost::asio::awaitable<runtime::CycleReport> BackupService::run_cycle(runtime::Shutdown& shutdown) {
    BackupResult r;
    try {
        // A stop request ends a long copy early: the grace period bounds it.
        r = co_await runtime::run_blocking(*pool_, [this, &shutdown] {
            return create_backup(store_, config_.directory.string(), config_.keep,
                                 [&shutdown] { return shutdown.requested(); });
        });
    } catch (const std::exception&) {
        count_service_error(kName, "backup");
        throw;  // the runner logs cycle_failed with the error
    }
    runtime::CycleReport report;
    if (r.stopped) {
        report.add("interrupted", "true");
        co_return report;
    }
    record_backup(r);
    report.add_number("backup_id", r.backup.id);
    report.add_number("bytes", r.backup.size);
    report.add_number("new_bytes", r.backup.new_bytes);
    report.add_number("files", r.backup.files);
    report.add_number("kept", r.kept);
    report.add_number("purged", r.purged);
    report.add("directory", config_.directory.string());
    co_return report;
}

}  // namespace brotr::services
