// The `backup` service: backs up the store into brotr.yaml's
// backup.directory every backup.interval (the first at start) while the
// other services write, then keeps the newest backup.keep backups
// (brotr/backup.hpp). A backup copies files for as long as the disk takes,
// so it runs on the service's own thread, never on the shared I/O threads.
#pragma once

#include <memory>

#include "brotr/config.hpp"
#include "runtime/service.hpp"

namespace boost::asio {
class thread_pool;
}

namespace brotr {
class Store;
}

namespace brotr::services {

class BackupService final : public runtime::Service {
public:
    static constexpr std::string_view kName = "backup";
    BackupService(Store& store, BackupConfig config);
    ~BackupService() override;

    std::string_view name() const override { return kName; }
    std::chrono::seconds interval() const override;
    boost::asio::awaitable<runtime::CycleReport> run_cycle(runtime::Shutdown& shutdown) override;
    void persist_state() override;

private:
    Store& store_;
    BackupConfig config_;
    std::unique_ptr<boost::asio::thread_pool> pool_;
};

}  // namespace brotr::services
