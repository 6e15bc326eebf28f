// The exporter inside `brotr run`, configured by brotr.yaml's export
// section: `brotr exporter --once` catches up, `brotr run` keeps following
// until SIGTERM, and a missing conninfo is refused.
#include <gtest/gtest.h>

#include <csignal>
#include <thread>

#include "pg/test_export_child.hpp"
#include "pg/test_export_fixture.hpp"

namespace brotr::test {
namespace {

using namespace std::chrono_literals;

class ExportRun : public ExportTest {
protected:
    void write_config(const std::string& export_section) {
        std::filesystem::create_directories(dir_ / "config");
        write_file(dir_ / "config" / "brotr.yaml", "store:\n  path: " + (dir_ / "store").string() +
                                                       "\n  variant: bigbrotr\nnode_id: run-node\n" + export_section);
        // Only the exporter: the other services stay off.
        std::filesystem::create_directories(dir_ / "config" / "services");
        for (const char* service : {"finder", "monitor", "synchronizer"})
            write_file(dir_ / "config" / "services" / (std::string(service) + ".yaml"), "enabled: false\n");
        write_file(dir_ / "config" / "services" / "initializer.yaml", "seed:\n  enabled: false\n");
    }
    std::string export_section() const {
        return "export:\n  enabled: true\n  conninfo: \"" + conninfo() + "\"\n  batch_size: 300\n  interval: 1\n";
    }
    // A store written and closed again: `brotr run` opens it for writing.
    void prepare_store(std::size_t events, std::uint64_t seed = 7) {
        open_store();
        DatasetSpec spec;
        spec.events = events;
        spec.seed = seed;
        fill_store(store(), spec);
        stores_.clear();
    }
    Store reopen() {
        StoreOptions o;
        o.mode = OpenMode::read_only;
        return Store::open((dir_ / "store").string(), o);
    }
};

TEST_F(ExportRun, ExporterOnceCatchesUp) {
    create_database();
    prepare_store(800);
    write_config(export_section());
    const auto out = run_command({brotr_bin().string(), "exporter", "--once", "--config", (dir_ / "config").string()});
    ASSERT_EQ(out.exit_code, 0) << out.err;
    EXPECT_NE(out.err.find("exporter: cycle_completed"), std::string::npos) << out.err;
    const Store store = reopen();
    expect_tables_equal_store(conn(), store);
    EXPECT_EQ(scalar(conn(), "SELECT seq FROM brotr_export_cursor WHERE node_id = 'run-node'"),
              std::to_string(store.changelog_head()));
}

TEST_F(ExportRun, RunFollowsUntilStopped) {
    create_database();
    prepare_store(300);
    write_config(export_section());
    WatchedChild run({brotr_bin().string(), "run", "--config", (dir_ / "config").string()}, dir_ / "run");
    std::uint64_t head = 0;
    {
        const Store store = reopen();
        head = store.changelog_head();
    }
    bool exported = false;
    for (int i = 0; i < 600 && !exported; ++i) {
        std::this_thread::sleep_for(100ms);
        exported = scalar(conn(), "SELECT COALESCE((SELECT seq FROM brotr_export_cursor WHERE node_id = 'run-node'), 0)")
                       .value() == std::to_string(head);
        ASSERT_FALSE(run.poll()) << run.err();
    }
    EXPECT_TRUE(exported) << run.err();
    run.kill(SIGTERM);
    EXPECT_EQ(run.wait(), 0) << run.err();
    const Store store = reopen();
    expect_tables_equal_store(conn(), store);
}

TEST_F(ExportRun, EnabledWithoutConninfoIsRefused) {
    prepare_store(10);
    write_config("export:\n  enabled: true\n");
    const auto out = run_command({brotr_bin().string(), "exporter", "--once", "--config", (dir_ / "config").string()});
    EXPECT_NE(out.exit_code, 0);
    EXPECT_NE(out.err.find("conninfo"), std::string::npos) << out.err;
}

}  // namespace
}  // namespace brotr::test
