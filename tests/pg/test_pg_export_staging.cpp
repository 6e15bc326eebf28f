// The exporter's helpers: session staging tables and the merge into the
// contract tables (sql/*/11_event_writers.sql), and the per-node cursor
// (sql/common/10_brotr_export.sql) written in the same transaction.
#include <gtest/gtest.h>

#include <string>

#include <pqxx/transaction>

#include "pg_schema_fixture.hpp"

namespace brotr::test {
namespace {

std::string id(char c) { return "decode('" + std::string(64, c) + "', 'hex')"; }
std::string sig() { return "decode('" + std::string(128, 'f') + "', 'hex')"; }

// Stages one batch: two relays, two events, three links, a snapshot with both documents, a service state.
void stage_batch(pqxx::work& tx, bool full) {
    tx.exec("SELECT brotr_export_prepare_staging()");
    tx.exec("INSERT INTO brotr_stage_relays VALUES ('wss://a', 'clearnet', 1), ('wss://b.onion', 'tor', 2)");
    if (full)
        tx.exec("INSERT INTO brotr_stage_events VALUES (" + id('1') + ", " + id('a') + ", 10, 1, '[[\"t\",\"x\"]]', "
                "'hello', " + sig() + "), (" + id('2') + ", " + id('a') + ", 20, 7, '[]', '+', " + sig() + ")");
    else
        tx.exec("INSERT INTO brotr_stage_events VALUES (" + id('1') + ", " + id('a') + ", 10, 1, " + sig() + "), (" +
                id('2') + ", " + id('a') + ", 20, 7, " + sig() + ")");
    tx.exec("INSERT INTO brotr_stage_events_relays VALUES (" + id('1') + ", 'wss://a', 100), (" + id('1') +
            ", 'wss://b.onion', 101), (" + id('2') + ", 'wss://a', 102)");
    tx.exec("INSERT INTO brotr_stage_nip11 (id, name, supported_nips) SELECT compute_nip11_hash('A', NULL, NULL, "
            "NULL, NULL, NULL, '[1]', NULL, NULL, NULL, NULL, NULL, NULL), 'A', '[1]'");
    tx.exec("INSERT INTO brotr_stage_nip66 SELECT compute_nip66_hash(TRUE, TRUE, FALSE, 5, 6, NULL), TRUE, TRUE, "
            "FALSE, 5, 6, NULL");
    tx.exec("INSERT INTO brotr_stage_relay_metadata SELECT 'wss://a', 1000, (SELECT id FROM brotr_stage_nip11), "
            "(SELECT id FROM brotr_stage_nip66)");
    tx.exec("INSERT INTO brotr_stage_service_state VALUES ('finder', '{\"page\": 1}', 50), "
            "('finder', '{\"page\": 2}', 60)");
}

std::string merge(pqxx::work& tx, const std::string& node, long long seq) {
    const auto row = tx.exec("SELECT concat_ws(' ', inserted_relays, inserted_events, inserted_events_relays, "
                             "inserted_nip11, inserted_nip66, inserted_relay_metadata, upserted_service_state) "
                             "FROM brotr_export_merge_staging('" + node + "', " + std::to_string(seq) + ", 999)");
    return row[0][0].as<std::string>();
}

template <pg::SchemaVariant V>
class ExportStaging : public PgSchemaTest<V> {
protected:
    bool full() const { return V == pg::SchemaVariant::bigbrotr; }
};
using BigExportStaging = ExportStaging<pg::SchemaVariant::bigbrotr>;
using LilExportStaging = ExportStaging<pg::SchemaVariant::lilbrotr>;

TEST_F(BigExportStaging, MergeInsertsInKeyOrderAndAdvancesTheCursor) {
    {
        pqxx::work tx(conn());
        stage_batch(tx, full());
        EXPECT_EQ(merge(tx, "node-1", 42), "2 2 3 1 1 1 1");
        tx.commit();
    }
    EXPECT_EQ(rows("events"), 2);
    EXPECT_EQ(value("SELECT tagvalues::text FROM events WHERE kind = 1"), "{x}");
    EXPECT_EQ(value("SELECT state::text || updated_at FROM service_state"), "{\"page\": 2}60");
    EXPECT_EQ(value("SELECT seq || ' ' || updated_at FROM brotr_export_cursor WHERE node_id = 'node-1'"), "42 999");
    EXPECT_EQ(rows("SELECT COUNT(*) FROM relay_metadata_latest WHERE nip11_name = 'A' AND nip66_rtt_read = 6"), 1);

    // The same batch again (a retry after a crash before the cursor was read): nothing new.
    {
        pqxx::work tx(conn());
        stage_batch(tx, full());
        EXPECT_EQ(merge(tx, "node-1", 42), "0 0 0 0 0 0 1");
        tx.commit();
    }
    EXPECT_EQ(rows("events") + rows("events_relays") + rows("relays"), 2 + 3 + 2);
}

TEST_F(BigExportStaging, StagingIsEmptyAfterMergeAndAfterCommit) {
    pqxx::work tx(conn());
    stage_batch(tx, full());
    merge(tx, "n", 1);
    EXPECT_EQ(tx.exec("SELECT COUNT(*) FROM brotr_stage_events")[0][0].as<long long>(), 0);
    EXPECT_EQ(merge(tx, "n", 2), "0 0 0 0 0 0 0");
    tx.exec("INSERT INTO brotr_stage_relays VALUES ('wss://late', 'clearnet', 3)");
    tx.commit();
    EXPECT_EQ(rows("brotr_stage_relays"), 0);  // ON COMMIT DELETE ROWS
    EXPECT_EQ(value("SELECT seq FROM brotr_export_cursor"), "2");
}

TEST_F(BigExportStaging, RollbackLeavesRowsAndCursorUntouched) {
    {
        pqxx::work tx(conn());
        stage_batch(tx, full());
        merge(tx, "node-1", 7);
        // no commit: the transaction is aborted when tx goes out of scope
    }
    EXPECT_EQ(rows("events"), 0);
    EXPECT_EQ(rows("brotr_export_cursor"), 0);
}

TEST_F(BigExportStaging, CursorsArePerNodeAndNeverMoveBack) {
    for (const auto& [node, seq] : std::vector<std::pair<std::string, long long>>{{"a", 10}, {"b", 5}, {"a", 3}}) {
        pqxx::work tx(conn());
        merge(tx, node, seq);
        tx.commit();
    }
    EXPECT_EQ(value("SELECT string_agg(node_id || '=' || seq, ',' ORDER BY node_id) FROM brotr_export_cursor"),
              "a=10,b=5");
}

TEST_F(BigExportStaging, OlderServiceStateDoesNotReplaceNewer) {
    exec("INSERT INTO service_state VALUES ('finder', '{\"page\": 9}', 100)");
    pqxx::work tx(conn());
    stage_batch(tx, full());  // stages updated_at 50 and 60
    EXPECT_EQ(merge(tx, "n", 1), "2 2 3 1 1 1 0");
    tx.commit();
    EXPECT_EQ(value("SELECT state->>'page' FROM service_state"), "9");
}

TEST_F(BigExportStaging, SessionsStageIndependently) {
    auto other = db_->connect();
    pqxx::work tx1(conn());
    pqxx::work tx2(*other);
    tx1.exec("SELECT brotr_export_prepare_staging()");
    tx2.exec("SELECT brotr_export_prepare_staging()");
    tx1.exec("INSERT INTO brotr_stage_relays VALUES ('wss://one', 'clearnet', 1)");
    EXPECT_EQ(tx2.exec("SELECT COUNT(*) FROM brotr_stage_relays")[0][0].as<int>(), 0);
}

TEST_F(LilExportStaging, LightStagingHasNoTagsOrContent) {
    {
        pqxx::work tx(conn());
        stage_batch(tx, full());
        EXPECT_EQ(merge(tx, "lil-node", 3), "2 2 3 1 1 1 1");
        tx.commit();
    }
    EXPECT_EQ(rows("events"), 2);
    EXPECT_EQ(rows("SELECT COUNT(*) FROM information_schema.columns WHERE table_name = 'events' "
                   "AND column_name IN ('tags', 'content')"),
              0);
}

}  // namespace
}  // namespace brotr::test
