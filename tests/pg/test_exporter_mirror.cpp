// After import and export, PostgreSQL holds exactly what the store holds,
// its views give the store's statistics, exporting again changes nothing,
// and the original's stored procedures find every row already there.
#include <gtest/gtest.h>

#include <pqxx/transaction>

#include "brotr/hex.hpp"
#include "pg/test_export_fixture.hpp"

namespace brotr::test {
namespace {

class ExporterMirror : public ExportTest,
                       public ::testing::WithParamInterface<pg::CopyFormat> {};

TEST_P(ExporterMirror, TablesAndViewsEqualTheStore) {
    open_store();
    create_database();
    DatasetSpec spec;
    spec.events = 3000;
    const auto filled = fill_store(store(), spec);
    ASSERT_EQ(filled.events, spec.events);

    auto options = export_options("node-a", 700);
    options.format = GetParam();
    const auto totals = export_all(store(), conn(), options);
    const auto head = store().changelog_head();
    EXPECT_EQ(totals.entries, head);
    EXPECT_GT(totals.batches, 5u);
    EXPECT_TRUE(totals.skipped.empty());
    EXPECT_EQ(totals.self_contained_batches, 0u);
    // Every row staged once was new, except the repeated service state versions.
    EXPECT_EQ(totals.inserted[ChangeTable::events], spec.events);
    EXPECT_EQ(totals.inserted[ChangeTable::events_relays], filled.links);
    EXPECT_EQ(totals.inserted[ChangeTable::relay_metadata], filled.snapshots);

    expect_tables_equal_store(conn(), store());
    expect_metadata_ids_match_postgres(conn());
    expect_views_equal_store(conn(), store());
    EXPECT_EQ(scalar(conn(), "SELECT seq FROM brotr_export_cursor WHERE node_id = 'node-a'"), std::to_string(head));
}

INSTANTIATE_TEST_SUITE_P(Formats, ExporterMirror, ::testing::Values(pg::CopyFormat::binary, pg::CopyFormat::text),
                         [](const auto& param_info) { return std::string(pg::to_string(param_info.param)); });

class ExporterRerun : public ExportTest {};

TEST_F(ExporterRerun, ExportingAgainIsANoOp) {
    open_store();
    create_database();
    DatasetSpec spec;
    spec.events = 600;
    fill_store(store(), spec);
    export_all(store(), conn(), export_options("n1", 100));
    const auto before = database_digest(conn());

    pg::Exporter again(store(), conn(), export_options("n1", 100));
    EXPECT_FALSE(again.export_batch(store().changelog_head()).has_value());
    EXPECT_EQ(database_digest(conn()), before);

    // The cursor reset (as if the commit of the cursor were lost): every row
    // is sent again and none is added or changed.
    query(conn(), "UPDATE brotr_export_cursor SET seq = 0 WHERE node_id = 'n1'");
    const auto totals = export_all(store(), conn(), export_options("n1", 100));
    EXPECT_EQ(totals.entries, store().changelog_head());
    EXPECT_EQ(totals.inserted.total() - totals.inserted[ChangeTable::service_state], 0u);
    EXPECT_EQ(database_digest(conn()), before);
    expect_tables_equal_store(conn(), store());
}

TEST_F(ExporterRerun, NewRowsAfterAnExportFollowIncrementally) {
    open_store();
    create_database();
    DatasetSpec spec;
    spec.events = 800;
    const auto events = dataset_events(spec);
    const std::vector<Event> first(events.begin(), events.begin() + 500);
    const std::vector<Event> second(events.begin() + 400, events.end());  // 100 already stored
    fill_store(store(), first, spec);
    export_all(store(), conn(), export_options("n1", 128));
    const auto cursor = store().changelog_head();
    fill_store(store(), second, spec);
    const auto totals = export_all(store(), conn(), export_options("n1", 128));
    EXPECT_EQ(totals.entries, store().changelog_head() - cursor);
    EXPECT_EQ(totals.inserted[ChangeTable::events], 300u);
    expect_tables_equal_store(conn(), store());
    expect_views_equal_store(conn(), store());
}

// The original writes through insert_event / insert_relay /
// insert_relay_metadata; called for rows the exporter already wrote, they
// change nothing.
TEST_F(ExporterRerun, StoredProceduresFindExportedRowsUnchanged) {
    open_store();
    create_database();
    DatasetSpec spec;
    spec.events = 400;
    fill_store(store(), spec);
    export_all(store(), conn(), export_options("n1"));
    const auto before = database_digest(conn());

    pqxx::work tx(conn());
    std::size_t calls = 0;
    store().for_each_event({}, [&](const Event& e) {
        std::string tags;
        tags = canonical_tags_text(e.tags);
        for (const auto& link : store().event_relays(e.id)) {
            const auto relay = store().get_relay(link.relay_url);
            tx.exec_params("SELECT insert_event(decode($1, 'hex'), decode($2, 'hex'), $3, $4, $5::jsonb, $6, "
                           "decode($7, 'hex'), $8, $9, $10, $11)",
                           to_hex(e.id), to_hex(e.pubkey), e.created_at, static_cast<int>(e.kind), tags, e.content,
                           to_hex(e.sig), link.relay_url, std::string(to_string(relay->network)), relay->inserted_at,
                           link.seen_at);
            ++calls;
        }
        return true;
    });
    for (const auto& r : store().relays()) {
        tx.exec_params("SELECT insert_relay($1, $2, $3)", r.url, std::string(to_string(r.network)), r.inserted_at);
        ++calls;
    }
    for (const auto& r : store().relays()) {
        for (const auto& s : store().metadata_history(r.url)) {
            const Nip11 n11 = s.nip11.value_or(Nip11{});
            const Nip66 n66 = s.nip66.value_or(Nip66{});
            const auto lit = [&](const auto& v) -> std::string { return v ? tx.quote(*v) : "NULL"; };
            std::string sql = "SELECT insert_relay_metadata(" + tx.quote(r.url) + ", " +
                              tx.quote(std::string(to_string(r.network))) + ", " + tx.quote(r.inserted_at) + ", " +
                              tx.quote(s.generated_at) + ", " + tx.quote(s.nip66.has_value()) + ", " +
                              tx.quote(n66.openable) + ", " + tx.quote(n66.readable) + ", " + tx.quote(n66.writable);
            for (const auto* rtt : {&n66.rtt_open, &n66.rtt_read, &n66.rtt_write}) sql += ", " + lit(*rtt);
            sql += ", " + tx.quote(s.nip11.has_value());
            for (const auto* text : {&n11.name, &n11.description, &n11.banner, &n11.icon, &n11.pubkey, &n11.contact,
                                     &n11.supported_nips, &n11.software, &n11.version, &n11.privacy_policy,
                                     &n11.terms_of_service, &n11.limitation, &n11.extra_fields})
                sql += ", " + lit(*text);
            tx.exec(sql + ")");
            ++calls;
        }
    }
    tx.commit();
    EXPECT_GT(calls, 400u);
    EXPECT_EQ(database_digest(conn()), before);
}

TEST_F(ExporterRerun, LightSchemaFromALightStore) {
    open_store(StoreVariant::lilbrotr);
    create_database(pg::SchemaVariant::lilbrotr);
    DatasetSpec spec;
    spec.events = 1000;
    fill_store(store(), spec);
    pg::Exporter probe(store(), conn(), export_options("lil"));
    EXPECT_EQ(probe.event_columns(), pg::EventColumns::light);
    export_all(store(), conn(), export_options("lil", 300));
    expect_tables_equal_store(conn(), store());
    expect_metadata_ids_match_postgres(conn());
    expect_views_equal_store(conn(), store());
}

TEST_F(ExporterRerun, LightSchemaFromAFullStoreDropsTagsAndContent) {
    open_store(StoreVariant::bigbrotr);
    create_database(pg::SchemaVariant::lilbrotr);
    DatasetSpec spec;
    spec.events = 500;
    fill_store(store(), spec);
    export_all(store(), conn(), export_options("big-into-lil", 300));
    expect_tables_equal_store(conn(), store());
    expect_views_equal_store(conn(), store());
}

TEST_F(ExporterRerun, FullSchemaRefusesALightStore) {
    open_store(StoreVariant::lilbrotr);
    create_database(pg::SchemaVariant::bigbrotr);
    try {
        pg::Exporter exporter(store(), conn(), export_options("n1"));
        FAIL() << "a lilbrotr store was accepted for the bigbrotr schema";
    } catch (const pg::ExportTargetError& e) {
        EXPECT_NE(std::string(e.what()).find("lilbrotr"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace brotr::test
