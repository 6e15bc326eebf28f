// Relays, metadata snapshots and service state: idempotent inserts,
// content addressing, the reads the services need, changelog rows.
#include <gtest/gtest.h>

#include "brotr/store.hpp"
#include "support/test_env.hpp"

namespace brotr {
namespace {

using test::TempDir;

RelayMetadata snapshot(const std::string& url, std::int64_t at, std::optional<Nip11> nip11, std::optional<Nip66> nip66) {
    RelayMetadata m;
    m.relay_url = url;
    m.generated_at = at;
    m.nip11 = std::move(nip11);
    m.nip66 = std::move(nip66);
    return m;
}

Nip11 doc(const std::string& name) {
    Nip11 d;
    d.name = name;
    d.description = "caf\xC3\xA9 \"quoted\"";
    d.supported_nips = "[1, 11, 66]";
    d.limitation = R"({"max_message_length": 65536, "auth_required": false})";
    return d;
}

Nip66 test_result(std::int32_t rtt) {
    Nip66 n;
    n.openable = n.readable = true;
    n.rtt_open = rtt;
    n.rtt_read = rtt * 2;
    return n;
}

class StoreMetadata : public ::testing::Test {
protected:
    TempDir dir;
    Store store = Store::init((dir / "store").string(), StoreVariant::bigbrotr);
};

TEST_F(StoreMetadata, RelaysAreInsertedOnce) {
    auto a = *RelayUrl::parse("wss://relay.damus.io");
    auto b = *RelayUrl::parse("nos.lol");
    EXPECT_TRUE(store.insert_relay(a, 100));
    EXPECT_FALSE(store.insert_relay(a, 200));
    std::vector<RelayUrl> many = {a, b, b};
    EXPECT_EQ(store.insert_relays(many, 300), 1u);
    auto relays = store.relays();
    ASSERT_EQ(relays.size(), 2u);
    EXPECT_EQ(relays[0], (RelayRecord{"wss://nos.lol", Network::clearnet, 300}));
    EXPECT_EQ(relays[1], (RelayRecord{"wss://relay.damus.io", Network::clearnet, 100}));
    EXPECT_EQ(store.summary().relays, 2u);
    EXPECT_EQ(store.changelog_head(), 2u);
}

TEST_F(StoreMetadata, SnapshotsAreIdempotentAndTheirPartsDeduplicated) {
    const std::string url = "wss://relay.example.com";
    EXPECT_TRUE(store.insert_relay_metadata(snapshot(url, 1000, doc("one"), test_result(50))));
    EXPECT_FALSE(store.insert_relay_metadata(snapshot(url, 1000, doc("other"), std::nullopt)));  // same key
    EXPECT_TRUE(store.insert_relay_metadata(snapshot(url, 2000, doc("one"), test_result(50))));  // same parts
    EXPECT_TRUE(store.insert_relay_metadata(snapshot(url, 1500, std::nullopt, test_result(70))));
    auto summary = store.summary();
    EXPECT_EQ(summary.relay_metadata, 3u);
    EXPECT_EQ(summary.nip11, 1u);
    EXPECT_EQ(summary.nip66, 2u);
    EXPECT_EQ(summary.relays, 1u);

    auto history = store.metadata_history(url);
    ASSERT_EQ(history.size(), 3u);
    EXPECT_EQ(history[0].generated_at, 2000);
    EXPECT_EQ(history[1].generated_at, 1500);
    EXPECT_EQ(history[2].generated_at, 1000);
    EXPECT_FALSE(history[1].nip11.has_value());
    EXPECT_EQ(history[1].nip66->rtt_open, 70);
    EXPECT_EQ(*history[0].nip11, doc("one"));
    EXPECT_EQ(history[0].nip11_id, compute_nip11_id(doc("one")));
    EXPECT_EQ(history[0].nip66_id, compute_nip66_id(test_result(50)));
    EXPECT_EQ(store.metadata_history(url, 2).size(), 2u);

    auto latest = store.latest_metadata(url);
    ASSERT_TRUE(latest.has_value());
    EXPECT_EQ(latest->generated_at, 2000);
    EXPECT_FALSE(store.latest_metadata("wss://relay.example.co").has_value());  // a prefix of the URL
    EXPECT_TRUE(store.check().ok());
}

TEST_F(StoreMetadata, LatestPerRelayListsRelaysNeverChecked) {
    store.insert_relay(*RelayUrl::parse("wss://never.example.com"), 1);
    store.insert_relay_metadata(snapshot("wss://checked.example.com", 10, std::nullopt, test_result(5)));
    store.insert_relay_metadata(snapshot("wss://checked.example.com", 20, std::nullopt, test_result(6)));
    auto rows = store.relay_metadata_latest();
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].relay.url, "wss://checked.example.com");
    EXPECT_EQ(rows[0].relay.inserted_at, 10);  // registered by its first snapshot
    ASSERT_TRUE(rows[0].latest.has_value());
    EXPECT_EQ(rows[0].latest->generated_at, 20);
    EXPECT_EQ(rows[1].relay.url, "wss://never.example.com");
    EXPECT_FALSE(rows[1].latest.has_value());
}

TEST_F(StoreMetadata, RefusesBadUrlsAndMetadataPostgresWouldRefuse) {
    EXPECT_THROW(store.insert_relay_metadata(snapshot("http://nope.example.com", 1, std::nullopt, test_result(1))),
                 StoreError);
    EXPECT_THROW(store.insert_relay_metadata(snapshot("WSS://Relay.Example.com/", 1, std::nullopt, test_result(1))),
                 StoreError);  // not normalized
    Nip11 bad;
    bad.limitation = "{not json";
    EXPECT_THROW(store.insert_relay_metadata(snapshot("wss://relay.example.com", 1, bad, std::nullopt)), StoreError);
    Nip11 nul;
    nul.name = std::string("a\0b", 3);
    EXPECT_THROW(store.insert_relay_metadata(snapshot("wss://relay.example.com", 1, nul, std::nullopt)), StoreError);
    EXPECT_EQ(store.summary().relay_metadata, 0u);
    EXPECT_EQ(store.changelog_head(), 0u);
}

TEST_F(StoreMetadata, ServiceStateKeepsTheLatestJson) {
    EXPECT_FALSE(store.get_service_state("finder").has_value());
    store.put_service_state("finder", R"({"cursor": 5})", 100);
    store.put_service_state("finder", R"({"cursor": 5})", 100);  // unchanged: no new changelog entry
    EXPECT_EQ(store.changelog_head(), 1u);
    store.put_service_state("finder", R"({"cursor": 9})", 200);
    store.put_service_state("monitor", "{}", 150);
    auto st = store.get_service_state("finder");
    ASSERT_TRUE(st.has_value());
    EXPECT_EQ(st->state_json, R"({"cursor": 9})");
    EXPECT_EQ(st->updated_at, 200);
    EXPECT_EQ(store.service_states().size(), 2u);
    EXPECT_EQ(store.summary().service_states, 2u);
    EXPECT_THROW(store.put_service_state("finder", "{broken", 300), StoreError);
    EXPECT_THROW(store.put_service_state("", "{}", 300), StoreError);
    EXPECT_EQ(store.get_service_state("finder")->updated_at, 200);
}

TEST_F(StoreMetadata, ChangelogRowsOfEveryTable) {
    store.insert_relay_metadata(snapshot("wss://relay.example.com", 1000, doc("n"), test_result(9)));
    store.put_service_state("synchronizer", R"({"relay_timestamps":{}})", 5);
    auto entries = store.read_changelog(0, 100);
    ASSERT_EQ(entries.size(), 5u);
    EXPECT_EQ(entries[0].table, ChangeTable::relays);
    EXPECT_EQ(entries[1].table, ChangeTable::nip11);
    EXPECT_EQ(entries[2].table, ChangeTable::nip66);
    EXPECT_EQ(entries[3].table, ChangeTable::relay_metadata);
    EXPECT_EQ(entries[4].table, ChangeTable::service_state);
    EXPECT_EQ(std::get<RelayRecord>(*store.fetch_row(entries[0])).url, "wss://relay.example.com");
    auto nip11 = std::get<Nip11Row>(*store.fetch_row(entries[1]));
    EXPECT_EQ(nip11.id, compute_nip11_id(doc("n")));
    EXPECT_EQ(nip11.doc, doc("n"));
    EXPECT_EQ(std::get<Nip66Row>(*store.fetch_row(entries[2])).result, test_result(9));
    auto rm = std::get<RelayMetadataRow>(*store.fetch_row(entries[3]));
    EXPECT_EQ(rm.relay_url, "wss://relay.example.com");
    EXPECT_EQ(rm.generated_at, 1000);
    EXPECT_EQ(rm.nip11_id, nip11.id);
    EXPECT_EQ(std::get<ServiceState>(*store.fetch_row(entries[4])).name, "synchronizer");
    EXPECT_EQ(to_string(ChangeTable::events_relays), "events_relays");
}

TEST(StoreChangelog, TrimmedChangelogKeepsItsNumbering) {
    TempDir dir;
    const std::string path = (dir / "store").string();
    {
        Store store = Store::init(path, StoreVariant::bigbrotr);
        for (int i = 0; i < 5; ++i) store.put_service_state("s" + std::to_string(i), "{}", i);
        store.trim_changelog(3);
        auto rest = store.read_changelog(0, 100);
        ASSERT_EQ(rest.size(), 2u);
        EXPECT_EQ(rest[0].seq, 4u);
        store.trim_changelog(5);
        EXPECT_TRUE(store.read_changelog(0, 100).empty());
        EXPECT_EQ(store.changelog_head(), 5u);
    }
    Store store = Store::open(path);  // numbering survives a restart with an empty changelog
    EXPECT_EQ(store.changelog_head(), 5u);
    store.put_service_state("after", "{}", 9);
    EXPECT_EQ(store.read_changelog(0, 10).at(0).seq, 6u);
}

}  // namespace
}  // namespace brotr
