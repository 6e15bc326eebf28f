// Sharding relays across nodes, end to end: three nodes with the same 30
// loopback relays in their config, each `brotr synchronizer --once --shard
// i/3`, then each `brotr export --pg` under its node id into one database.
// Every relay is synced by exactly one node, and PostgreSQL holds the union
// once.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "brotr/store.hpp"
#include "model/relay_shard.hpp"
#include "pg/test_export_fixture.hpp"
#include "support/relay_peer.hpp"

namespace brotr::test {
namespace {

// An implementation directory whose synchronizer visits `relays`, and nothing else runs.
std::filesystem::path write_node_config(const std::filesystem::path& root, const std::vector<std::string>& relays,
                                        const std::string& shard_in_yaml) {
    std::filesystem::create_directories(root / "services");
    write_file(root / "brotr.yaml",
               "store:\n  path: store\n  variant: bigbrotr\nnetwork:\n  allow_loopback: true\n" + shard_in_yaml);
    std::string sync =
        "tor:\n  enabled: false\ntime_range:\n  lookback_seconds: 3600\n"
        "concurrency:\n  max_parallel: 8\n  max_processes: 1\n  stagger_delay: [0, 0]\noverrides:\n";
    for (const auto& r : relays) sync += "  - url: " + r + "\n";
    write_file(root / "services/synchronizer.yaml", sync);
    return root;
}

TEST(ShardNodes, EachRelaySyncedByOneNodeAndPostgresHoldsTheUnionOnce) {
    if (!RelayPeer::available()) GTEST_SKIP() << "node or tests/peers/node_modules missing";
    TempDir dir;
    generate_events({.count = 120, .start = 1'700'000'000, .per_second = 10}, dir / "events.jsonl");
    RelayPeer peer({.load_jsonl = dir / "events.jsonl"});
    // 30 relays: one server answers on every path, each path is a relay of its own.
    std::vector<std::string> relays;
    for (int i = 0; i < 30; ++i) relays.push_back(peer.url() + "/r" + std::to_string(i));

    PgTestDb db;
    {
        auto admin = db.connect();
        apply_schema(*admin, pg::SchemaVariant::bigbrotr);
    }
    std::set<std::string> synced_anywhere;
    std::uint64_t links_in_stores = 0;
    for (std::uint32_t node = 0; node < 3; ++node) {
        SCOPED_TRACE("node " + std::to_string(node));
        // Node 0 takes its shard from brotr.yaml, the others from --shard.
        const auto root = write_node_config(dir / ("node" + std::to_string(node)), relays,
                                            node == 0 ? "shard:\n  index: 0\n  count: 3\n" : "");
        std::vector<std::string> argv{brotr_bin().string(), "synchronizer", "--once", "--config", root.string()};
        if (node > 0) argv.insert(argv.end(), {"--shard", std::to_string(node) + "/3"});
        auto out = run_command(argv);
        ASSERT_EQ(out.exit_code, 0) << out.err;
        EXPECT_NE(out.err.find("shard=" + std::to_string(node) + "/3"), std::string::npos) << out.err;

        std::set<std::string> mine;
        for (const auto& r : relays) {
            const std::string url = RelayUrl::parse(r)->str();
            if (relay_shard(url, 3) == node) mine.insert(url);
        }
        ASSERT_FALSE(mine.empty());
        EXPECT_NE(out.err.find("other_shard_relays=" + std::to_string(30 - mine.size())), std::string::npos) << out.err;
        {
            StoreOptions ro;
            ro.mode = OpenMode::read_only;
            Store store = Store::open((root / "store").string(), ro);
            std::set<std::string> synced;
            for (const auto& relay : store.relays()) synced.insert(relay.url);
            EXPECT_EQ(synced, mine);
            EXPECT_EQ(store.summary().events, 120u);
            EXPECT_EQ(store.summary().event_relays, 120u * mine.size());
            links_in_stores += store.summary().event_relays;
            for (const auto& url : synced) EXPECT_TRUE(synced_anywhere.insert(url).second) << url << " synced twice";
        }
        out = run_command({brotr_bin().string(), "export", "--store", (root / "store").string(), "--pg",
                           db.conninfo(), "--once", "--node-id", "node" + std::to_string(node)});
        ASSERT_EQ(out.exit_code, 0) << out.err;
    }
    EXPECT_EQ(synced_anywhere.size(), 30u);

    auto check = db.connect();
    EXPECT_EQ(scalar(*check, "SELECT COUNT(*) FROM relays"), "30");
    EXPECT_EQ(scalar(*check, "SELECT COUNT(*) FROM events"), "120");
    EXPECT_EQ(scalar(*check, "SELECT COUNT(*) FROM events_relays"), std::to_string(120 * 30));
    EXPECT_EQ(links_in_stores, 120u * 30);
    EXPECT_EQ(scalar(*check, "SELECT COUNT(*) FROM brotr_export_cursor"), "3");
}

}  // namespace
}  // namespace brotr::test
