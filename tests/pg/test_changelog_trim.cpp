// The changelog as a subsystem, end to end: the running exporter registers
// its cursor, the changelog service trims what it has exported, and while
// events keep arriving the changelog stays bounded and PostgreSQL still ends
// equal to the store. A node whose cursor fell behind a trim is refused with
// the way out in the message.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "pg/test_export_fixture.hpp"
#include "runtime/service_runner.hpp"
#include "services/changelog_service.hpp"
#include "services/export_service.hpp"

namespace brotr::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

class ChangelogTrimTest : public ExportTest {
protected:
    // The exporter and the changelog service, as `brotr run` starts them.
    void start(ChangelogConfig changelog) {
        runtime::RunnerOptions ro;
        ro.threads = 2;
        ro.handle_signals = false;
        ro.grace_period = 30s;
        runner_ = std::make_unique<runtime::ServiceRunner>(ro);
        services::ExportServiceOptions o;
        o.connection.conninfo = conninfo();
        o.exporter.node_id = "live";
        o.exporter.batch_size = 250;
        o.cycle = 2s;
        o.poll = 50ms;
        o.max_backoff = 1s;
        auto exporter = std::make_unique<services::ExportService>(store(), std::move(o));
        exporter_ = exporter.get();
        runner_->add(std::move(exporter));
        runner_->add(std::make_unique<services::ChangelogService>(store(), changelog));
        thread_ = std::thread([this] { runner_->run(); });
    }
    void stop() {
        if (!thread_.joinable()) return;
        runner_->request_stop();
        thread_.join();
    }
    void TearDown() override { stop(); }

    bool wait_exported(std::chrono::seconds timeout) {
        const auto start = Clock::now();
        while (Clock::now() - start < timeout) {
            if (exporter_->exported_seq() == store().changelog_head()) return true;
            std::this_thread::sleep_for(20ms);
        }
        return false;
    }

    std::unique_ptr<runtime::ServiceRunner> runner_;
    services::ExportService* exporter_ = nullptr;
    std::thread thread_;
};

TEST_F(ChangelogTrimTest, StaysBoundedWhileTheExporterFollowsAndPostgresEqualsTheStore) {
    open_store();
    create_database();
    DatasetSpec spec;
    spec.events = 12000;
    spec.insert_batch = 500;
    const auto events = dataset_events(spec);

    ChangelogConfig changelog;
    changelog.trim = true;
    changelog.retention = 0;  // trim whatever the exporter has passed
    changelog.trim_interval = 1;
    start(changelog);

    std::uint64_t most_held = 0;
    std::uint64_t largest_round = 0;  // entries one round of events adds
    constexpr std::size_t kRound = 1000;
    for (std::size_t at = 0; at < events.size(); at += kRound) {
        const std::uint64_t head_before = store().changelog_head();
        fill_store(store(),
                   std::vector<Event>(events.begin() + static_cast<std::ptrdiff_t>(at),
                                      events.begin() + static_cast<std::ptrdiff_t>(at + kRound)),
                   spec);
        largest_round = std::max(largest_round, store().changelog_head() - head_before);
        ASSERT_TRUE(wait_exported(60s)) << "export did not catch up after events " << at;
        std::this_thread::sleep_for(1200ms);  // one trim interval
        const ChangelogStatus status = store().changelog_status();
        most_held = std::max(most_held, status.entries());
        std::printf("after %zu events: head %llu, trimmed_to %llu, held %llu\n", at + kRound,
                    static_cast<unsigned long long>(status.head), static_cast<unsigned long long>(status.trimmed_to),
                    static_cast<unsigned long long>(status.entries()));
    }
    stop();

    const ChangelogStatus status = store().changelog_status();
    // Every round adds its events, their relay links and metadata; once
    // exported and past a trim, the changelog holds at most one round of
    // them, not the whole history.
    EXPECT_GT(status.head, events.size());
    EXPECT_GT(status.trimmed_to, status.head - largest_round);
    EXPECT_LE(most_held, largest_round) << "the changelog grew with the history";
    ASSERT_EQ(status.consumers.size(), 1u);
    EXPECT_EQ(status.consumers[0].name, "exporter:live");
    EXPECT_EQ(status.consumers[0].cursor, status.head);
    expect_tables_equal_store(conn(), store());
}

TEST_F(ChangelogTrimTest, AnExporterNotYetConnectedHoldsTheChangelog) {
    open_store();
    create_database();
    DatasetSpec spec;
    spec.events = 600;
    fill_store(store(), spec);
    const std::uint64_t head = store().changelog_head();

    // Registered at construction, before PostgreSQL is ever reached: the
    // trim keeps every entry this node has not exported.
    services::ExportServiceOptions o;
    o.connection.conninfo = "host=127.0.0.1 port=1 dbname=none connect_timeout=1";
    o.exporter.node_id = "later";
    services::ExportService exporter(store(), o);
    EXPECT_EQ(store().trim_changelog_by_policy(2'000'000'000, 0), 0u);
    const ChangelogStatus status = store().changelog_status();
    EXPECT_EQ(status.head, head);
    EXPECT_EQ(status.entries(), head);
    ASSERT_EQ(status.consumers.size(), 1u);
    EXPECT_EQ(status.consumers[0].name, "exporter:later");
    EXPECT_EQ(status.consumers[0].cursor, 0u);
}

TEST_F(ChangelogTrimTest, ANodeBehindATrimIsToldWhatToDo) {
    open_store();
    create_database();
    DatasetSpec spec;
    spec.events = 300;
    fill_store(store(), spec);
    // Nobody registered: retention 0 trims the whole changelog.
    EXPECT_EQ(store().trim_changelog_by_policy(2'000'000'000, 0), store().changelog_head());

    pg::Exporter exporter(store(), conn(), export_options("fresh"));
    try {
        exporter.export_batch(store().changelog_head());
        FAIL() << "an export from a trimmed changelog must be refused";
    } catch (const std::exception& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("trimmed"), std::string::npos) << message;
        EXPECT_NE(message.find("changelog.trim"), std::string::npos) << message;
        EXPECT_NE(message.find("--full"), std::string::npos) << message;
    }
    EXPECT_EQ(exporter.cursor(), 0u);
}

}  // namespace
}  // namespace brotr::test
