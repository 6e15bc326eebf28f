// Rows PostgreSQL cannot hold, and parent rows that disappeared from
// PostgreSQL: the exporter leaves out (and reports) what cannot be stored,
// resends parents that are gone, and never stalls on either.
#include <gtest/gtest.h>

#include "brotr/hex.hpp"
#include "brotr/keys.hpp"
#include "pg/test_export_fixture.hpp"

namespace brotr::test {
namespace {

class ExporterFaults : public ExportTest {
protected:
    Event signed_event(std::string content, Tags tags, std::int64_t created_at) {
        Event e;
        e.kind = 1;
        e.content = std::move(content);
        e.tags = std::move(tags);
        e.created_at = created_at;
        sign_event(e, key_);
        return e;
    }
    void insert(const Event& e, const std::string& relay, std::int64_t seen_at) {
        const auto url = RelayUrl::parse(relay).value();
        EventWithRelay item{e, &url, seen_at, false};
        const auto result = store().insert_events(std::span<const EventWithRelay>(&item, 1));
        ASSERT_EQ(result.invalid_total(), 0u);
    }

    SecretKey key_ = generate_secret_key();
};

TEST_F(ExporterFaults, EventsWithNulAreSkippedWithTheirLinks) {
    open_store();
    create_database();
    DatasetSpec spec;
    spec.events = 300;
    fill_store(store(), spec);
    const Event nul_content = signed_event(std::string("before\0after", 12), {}, 1'700'000'000);
    const Event nul_tag = signed_event("fine", {{"t", std::string("x\0y", 3)}}, 1'700'000'001);
    const Event fine = signed_event("\\u0000 written out is fine", {{"t", "\\u0000"}}, 1'700'000'002);
    for (const Event* e : {&nul_content, &nul_tag, &fine}) {
        insert(*e, "wss://relay0.example.com", 1'700'000'100);
        insert(*e, "wss://relay1.example.com", 1'700'000'200);
    }

    const auto totals = export_all(store(), conn(), export_options("n", 100));
    ASSERT_EQ(totals.skipped.size(), 6u);
    std::map<std::string, int> skipped_by_table;
    for (const auto& s : totals.skipped) {
        ++skipped_by_table[std::string(to_string(s.table))];
        EXPECT_TRUE(s.key.starts_with(to_hex(nul_content.id)) || s.key.starts_with(to_hex(nul_tag.id))) << s.key;
        EXPECT_NE(s.reason.find("NUL"), std::string::npos) << s.reason;
    }
    EXPECT_EQ(skipped_by_table["events"], 2);
    EXPECT_EQ(skipped_by_table["events_relays"], 4);

    auto expected = store_sizes(store());
    expected.events -= 2;
    expected.events_relays -= 4;
    EXPECT_EQ(database_sizes(conn()), expected);
    EXPECT_EQ(scalar(conn(), "SELECT content FROM events WHERE id = decode('" + to_hex(fine.id) + "', 'hex')"),
              fine.content);
    EXPECT_EQ(scalar(conn(), "SELECT tags::text FROM events WHERE id = decode('" + to_hex(fine.id) + "', 'hex')"),
              canonical_tags_text(fine.tags));

    // Later, in a new process (which no longer remembers the skipped event),
    // another relay serves it again: its link fails on the missing event,
    // the batch is sent again with its parents, and the link is skipped.
    insert(nul_content, "wss://relay2.example.com", 1'700'000'300);
    const auto later = export_all(store(), conn(), export_options("n", 100));
    EXPECT_EQ(later.self_contained_batches, 1u);
    ASSERT_EQ(later.skipped.size(), 1u);
    EXPECT_EQ(later.skipped[0].table, ChangeTable::events_relays);
    EXPECT_EQ(database_sizes(conn()), expected);
}

TEST_F(ExporterFaults, LightSchemaStoresEventsWithNul) {
    open_store(StoreVariant::bigbrotr);
    create_database(pg::SchemaVariant::lilbrotr);
    const Event nul_content = signed_event(std::string("a\0b", 3), {}, 1'700'000'000);
    insert(nul_content, "wss://relay0.example.com", 1'700'000'100);
    const auto totals = export_all(store(), conn(), export_options("n"));
    EXPECT_TRUE(totals.skipped.empty());
    EXPECT_EQ(count(conn(), "events"), 1);
}

TEST_F(ExporterFaults, UnstorableServiceStateIsSkipped) {
    open_store();
    create_database();
    store().put_service_state("finder", R"({"ok": true})", 100);
    store().put_service_state("weird", R"({"nul": "a\u0000b"})", 100);
    const auto totals = export_all(store(), conn(), export_options("n"));
    ASSERT_EQ(totals.skipped.size(), 1u);
    EXPECT_EQ(totals.skipped[0].key, "weird");
    EXPECT_EQ(count(conn(), "service_state"), 1);
    EXPECT_EQ(scalar(conn(), "SELECT state::text FROM service_state WHERE service_name = 'finder'"), R"({"ok": true})");
}

TEST_F(ExporterFaults, NewerServiceStateWinsOlderDoesNotOverwrite) {
    open_store();
    create_database();
    store().put_service_state("finder", R"({"v": 1})", 100);
    export_all(store(), conn(), export_options("n"));
    // Another node wrote a newer state meanwhile; this node's older one must not replace it.
    query(conn(), "UPDATE service_state SET state = '{\"v\": 9}', updated_at = 500 WHERE service_name = 'finder'");
    store().put_service_state("finder", R"({"v": 2})", 200);
    export_all(store(), conn(), export_options("n"));
    EXPECT_EQ(scalar(conn(), "SELECT state::text FROM service_state"), R"({"v": 9})");
    store().put_service_state("finder", R"({"v": 3})", 600);
    export_all(store(), conn(), export_options("n"));
    EXPECT_EQ(scalar(conn(), "SELECT state::text || ' ' || updated_at FROM service_state"), R"({"v": 3} 600)");
}

// The original's cleanup procedures (delete_orphan_*) or an operator delete
// rows the exporter sent earlier; rows that refer to them are sent later.
TEST_F(ExporterFaults, ParentRowsDeletedInPostgresAreSentAgain) {
    open_store();
    create_database();
    DatasetSpec spec;
    spec.events = 200;
    spec.clearnet_relays = 4;
    spec.tor_relays = 0;
    fill_store(store(), spec);
    export_all(store(), conn(), export_options("n", 50));

    Event victim;
    store().for_each_event({}, [&](const Event& e) {
        victim = e;
        return false;
    });
    query(conn(), "DELETE FROM events WHERE id = decode('" + to_hex(victim.id) + "', 'hex')");  // cascades to links
    const auto snapshot = store().latest_metadata("wss://relay0.example.com").value();
    ASSERT_TRUE(snapshot.nip11_id);
    query(conn(), "DELETE FROM nip11 WHERE id = decode('" + to_hex(*snapshot.nip11_id) + "', 'hex')");

    insert(victim, "wss://new-relay.example.com", victim.created_at + 99);
    RelayMetadata again;
    again.relay_url = snapshot.relay_url;
    again.generated_at = snapshot.generated_at + 3600;
    again.nip11 = snapshot.nip11;  // the same document: no new nip11 row in the store
    ASSERT_TRUE(store().insert_relay_metadata(again));

    const auto totals = export_all(store(), conn(), export_options("n", 50));
    EXPECT_EQ(totals.self_contained_batches, 1u);
    EXPECT_TRUE(totals.skipped.empty());
    const std::string id = "decode('" + to_hex(victim.id) + "', 'hex')";
    EXPECT_EQ(count(conn(), "SELECT COUNT(*) FROM events WHERE id = " + id), 1);
    EXPECT_EQ(scalar(conn(), "SELECT string_agg(relay_url, ',') FROM events_relays WHERE event_id = " + id),
              "wss://new-relay.example.com");
    EXPECT_EQ(count(conn(), "SELECT COUNT(*) FROM nip11 WHERE id = decode('" + to_hex(*snapshot.nip11_id) + "', 'hex')"),
              1);
    EXPECT_EQ(scalar(conn(), "SELECT encode(nip11_id, 'hex') FROM relay_metadata WHERE relay_url = '" +
                                 snapshot.relay_url + "' AND generated_at = " + std::to_string(again.generated_at)),
              to_hex(*snapshot.nip11_id));
    expect_metadata_ids_match_postgres(conn());
}

}  // namespace
}  // namespace brotr::test
