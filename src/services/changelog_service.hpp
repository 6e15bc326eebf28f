// The `changelog` service: keeps the changelog (docs/store-format.md) from
// growing forever. Every trim_interval it drops the entries older than
// brotr.yaml's changelog.retention that every registered consumer has read
// (Store::trim_changelog_by_policy), and warns about consumers that have
// not moved for a retention period, which hold every later entry back.
#pragma once

#include "brotr/config.hpp"
#include "runtime/service.hpp"

namespace brotr {
class Store;
}

namespace brotr::services {

class ChangelogService final : public runtime::Service {
public:
    static constexpr std::string_view kName = "changelog";
    ChangelogService(Store& store, ChangelogConfig config) : store_(store), config_(config) {}

    std::string_view name() const override { return kName; }
    std::chrono::seconds interval() const override;
    boost::asio::awaitable<runtime::CycleReport> run_cycle(runtime::Shutdown& shutdown) override;

private:
    Store& store_;
    ChangelogConfig config_;
};

}  // namespace brotr::services
