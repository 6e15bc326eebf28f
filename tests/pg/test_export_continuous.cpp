// The exporter as a service of the runtime: it follows a store that is being
// written, and when PostgreSQL stops in the middle of it and starts again, it
// retries, reconnects and catches up, ending with a database equal to the
// store. Uses a server of its own, since it stops it.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "pg/test_export_fixture.hpp"
#include "pg/test_export_server.hpp"
#include "runtime/service_runner.hpp"
#include "services/export_service.hpp"
#include "support/metrics_text.hpp"
#include "util/metrics.hpp"

namespace brotr::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Waits until the service has exported the store's whole changelog; returns
// how long that took, or nullopt on timeout.
std::optional<double> wait_caught_up(const services::ExportService& service, const Store& store,
                                     std::chrono::seconds timeout) {
    const auto start = Clock::now();
    while (Clock::now() - start < timeout) {
        if (service.exported_seq() == store.changelog_head())
            return std::chrono::duration<double>(Clock::now() - start).count();
        std::this_thread::sleep_for(20ms);
    }
    return std::nullopt;
}

class RunningService {
public:
    RunningService(Store& store, services::ExportServiceOptions options) {
        runtime::RunnerOptions ro;
        ro.threads = 2;
        ro.handle_signals = false;
        ro.grace_period = 30s;
        runner_ = std::make_unique<runtime::ServiceRunner>(ro);
        auto service = std::make_unique<services::ExportService>(store, std::move(options));
        service_ = service.get();
        runner_->add(std::move(service));
        thread_ = std::thread([this] { summary_ = runner_->run(); });
    }
    ~RunningService() { stop(); }
    runtime::RunSummary stop() {
        if (thread_.joinable()) {
            runner_->request_stop();
            thread_.join();
        }
        return summary_;
    }
    const services::ExportService& service() const { return *service_; }

private:
    std::unique_ptr<runtime::ServiceRunner> runner_;
    services::ExportService* service_ = nullptr;
    std::thread thread_;
    runtime::RunSummary summary_;
};

services::ExportServiceOptions service_options(const std::string& conninfo) {
    services::ExportServiceOptions o;
    o.connection.conninfo = conninfo;
    o.exporter.node_id = "live";
    o.exporter.batch_size = 200;
    o.cycle = 2s;
    o.poll = 100ms;
    o.max_backoff = 2s;
    return o;
}

TEST(ExportContinuous, FollowsTheStoreAndCatchesUpAfterAPostgresRestart) {
    PrivatePgServer server;
    server.create_database("mirror");
    {
        auto admin = server.connect("mirror");
        apply_schema(*admin, pg::SchemaVariant::bigbrotr);
    }
    TempDir dir;
    Store store = Store::init((dir / "store").string(), StoreVariant::bigbrotr);
    DatasetSpec spec;
    spec.events = 4000;
    spec.insert_batch = 250;
    const auto events = dataset_events(spec);
    auto write_events = [&](std::size_t from, std::size_t to) {
        fill_store(store, std::vector<Event>(events.begin() + static_cast<std::ptrdiff_t>(from),
                                             events.begin() + static_cast<std::ptrdiff_t>(to)),
                   spec);
    };

    // What /metrics will say, from here on (the registry is the process's).
    auto metric = [](const std::string& series) {
        return metric_value(metrics::registry().exposition(), series).value_or(0);
    };
    const double event_rows = metric("brotr_export_rows_total{table=\"events\"}");
    const double connection_errors = metric("brotr_service_errors_total{service=\"exporter\",reason=\"connection\"}");

    write_events(0, 500);
    RunningService running(store, service_options(server.conninfo("mirror")));
    auto lag = wait_caught_up(running.service(), store, 60s);
    ASSERT_TRUE(lag) << "the initial catch-up did not finish";

    // New rows while it follows reach PostgreSQL without a restart.
    for (std::size_t at = 500; at < 1500; at += 250) {
        write_events(at, at + 250);
        lag = wait_caught_up(running.service(), store, 60s);
        ASSERT_TRUE(lag) << "not caught up after writing events " << at << "..";
        std::printf("caught up %.2f s after writing events %zu..%zu\n", *lag, at, at + 250);
    }

    // PostgreSQL goes away while the store keeps growing.
    server.stop();
    write_events(1500, 2500);
    std::this_thread::sleep_for(4s);  // several failed attempts with backoff
    EXPECT_LT(running.service().exported_seq(), store.changelog_head());
    write_events(2500, 3000);
    server.start();
    lag = wait_caught_up(running.service(), store, 120s);
    ASSERT_TRUE(lag) << "no catch-up after PostgreSQL came back";
    std::printf("caught up %.2f s after PostgreSQL came back\n", *lag);

    // And it keeps following.
    write_events(3000, 4000);
    ASSERT_TRUE(wait_caught_up(running.service(), store, 60s));
    const auto summary = running.stop();
    EXPECT_GE(summary.cycles, 2u);

    auto check = server.connect("mirror");
    expect_tables_equal_store(*check, store);
    EXPECT_EQ(scalar(*check, "SELECT seq FROM brotr_export_cursor WHERE node_id = 'live'"),
              std::to_string(store.changelog_head()));
    // Each event counted once, however many retries; the outage counted; no lag left.
    EXPECT_EQ(metric("brotr_export_rows_total{table=\"events\"}") - event_rows, 4000);
    EXPECT_GE(metric("brotr_service_errors_total{service=\"exporter\",reason=\"connection\"}") - connection_errors, 1);
    EXPECT_EQ(metric_value(metrics::registry().exposition(), "brotr_export_lag_entries{node=\"live\"}"), 0);
}

TEST(ExportContinuous, StartsWhilePostgresIsDownAndConnectsLater) {
    PrivatePgServer server;
    server.create_database("mirror");
    {
        auto admin = server.connect("mirror");
        apply_schema(*admin, pg::SchemaVariant::bigbrotr);
    }
    server.stop();
    TempDir dir;
    Store store = Store::init((dir / "store").string(), StoreVariant::bigbrotr);
    DatasetSpec spec;
    spec.events = 300;
    fill_store(store, spec);

    RunningService running(store, service_options(server.conninfo("mirror")));
    std::this_thread::sleep_for(3s);
    EXPECT_EQ(running.service().exported_seq(), 0u);
    server.start();
    ASSERT_TRUE(wait_caught_up(running.service(), store, 60s));
    const auto summary = running.stop();
    EXPECT_GE(summary.failed_cycles, 1u);  // the first (catch-up) cycle could not connect

    auto check = server.connect("mirror");
    expect_tables_equal_store(*check, store);
}

TEST(ExportContinuous, OptionsFromBrotrYaml) {
    const auto config = parse_brotr_config(R"(
node_id: edge-7
export:
  enabled: true
  conninfo: "host=db.example.org dbname=bigbrotr user=brotr"
  password_env: BROTR_DB_PASSWORD
  batch_size: 2500
  interval: 5
)",
                                           "brotr.yaml", ".");
    const auto o = services::export_service_options(config);
    EXPECT_EQ(o.connection.conninfo, "host=db.example.org dbname=bigbrotr user=brotr");
    EXPECT_EQ(o.connection.password_env, "BROTR_DB_PASSWORD");
    EXPECT_EQ(o.exporter.node_id, "edge-7");
    EXPECT_EQ(o.exporter.batch_size, 2500u);
    EXPECT_EQ(o.cycle, std::chrono::milliseconds(5000));

    // libpq's own variable is left to libpq (which also falls back to ~/.pgpass).
    const auto defaults = services::export_service_options(
        parse_brotr_config("export:\n  enabled: true\n  conninfo: \"dbname=x\"\n", "brotr.yaml", "."));
    EXPECT_EQ(defaults.connection.password_env, "");
}

}  // namespace
}  // namespace brotr::test
