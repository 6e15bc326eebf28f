// Each variant's file set applied twice to a fresh database, then every name
// of docs/postgres.md looked up in PostgreSQL's catalogs: tables with their
// columns (order, type, nullability), keys, indexes, functions and views.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "pg_schema_fixture.hpp"

namespace brotr::test {
namespace {

using Variant = pg::SchemaVariant;

struct Column {
    std::string name, type;
    bool not_null;
    bool operator==(const Column&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Column& c) {
    return os << c.name << ' ' << c.type << (c.not_null ? " NOT NULL" : "");
}

std::vector<Column> table_columns(pqxx::connection_base& conn, const std::string& table) {
    std::vector<Column> columns;
    for (const auto& row : query(conn, "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull "
                                       "FROM pg_attribute a WHERE a.attrelid = to_regclass('" + table + "') "
                                       "AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum"))
        columns.push_back({row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<bool>()});
    return columns;
}

std::set<std::string> strings(pqxx::connection_base& conn, const std::string& sql) {
    std::set<std::string> out;
    for (const auto& row : query(conn, sql)) out.insert(row[0].as<std::string>());
    return out;
}

std::vector<Column> expected_events(Variant variant) {
    if (variant == Variant::lilbrotr)
        return {{"id", "bytea", true}, {"pubkey", "bytea", true}, {"created_at", "bigint", true},
                {"kind", "integer", true}, {"sig", "bytea", true}};
    return {{"id", "bytea", true},     {"pubkey", "bytea", true}, {"created_at", "bigint", true},
            {"kind", "integer", true}, {"tags", "jsonb", true},   {"tagvalues", "text[]", false},
            {"content", "text", true}, {"sig", "bytea", true}};
}

class SchemaCatalog : public ::testing::TestWithParam<Variant> {
protected:
    void SetUp() override {
        db_ = std::make_unique<PgTestDb>();
        conn_ = db_->connect();
        apply_schema(*conn_, GetParam());
        apply_schema(*conn_, GetParam());  // idempotent: the second run must succeed and change nothing
    }
    pqxx::connection& conn() { return *conn_; }
    bool full() const { return GetParam() == Variant::bigbrotr; }

    std::unique_ptr<PgTestDb> db_;
    std::unique_ptr<pqxx::connection> conn_;
};

TEST_P(SchemaCatalog, Extensions) {
    const auto found = strings(conn(), "SELECT extname FROM pg_extension");
    EXPECT_TRUE(found.contains("pgcrypto"));
    EXPECT_TRUE(found.contains("btree_gin"));
}

TEST_P(SchemaCatalog, TablesAndColumns) {
    const std::map<std::string, std::vector<Column>> expected = {
        {"relays", {{"url", "text", true}, {"network", "text", true}, {"inserted_at", "bigint", true}}},
        {"events", expected_events(GetParam())},
        {"events_relays", {{"event_id", "bytea", true}, {"relay_url", "text", true}, {"seen_at", "bigint", true}}},
        {"nip11",
         {{"id", "bytea", true}, {"name", "text", false}, {"description", "text", false}, {"banner", "text", false},
          {"icon", "text", false}, {"pubkey", "text", false}, {"contact", "text", false},
          {"supported_nips", "jsonb", false}, {"software", "text", false}, {"version", "text", false},
          {"privacy_policy", "text", false}, {"terms_of_service", "text", false}, {"limitation", "jsonb", false},
          {"extra_fields", "jsonb", false}}},
        {"nip66",
         {{"id", "bytea", true}, {"openable", "boolean", true}, {"readable", "boolean", true},
          {"writable", "boolean", true}, {"rtt_open", "integer", false}, {"rtt_read", "integer", false},
          {"rtt_write", "integer", false}}},
        {"relay_metadata",
         {{"relay_url", "text", true}, {"generated_at", "bigint", true}, {"nip11_id", "bytea", false},
          {"nip66_id", "bytea", false}}},
        {"service_state", {{"service_name", "text", true}, {"state", "jsonb", true}, {"updated_at", "bigint", true}}},
        {"brotr_export_cursor", {{"node_id", "text", true}, {"seq", "bigint", true}, {"updated_at", "bigint", true}}},
    };
    for (const auto& [table, columns] : expected) EXPECT_EQ(table_columns(conn(), table), columns) << table;
    const auto tables = strings(conn(), "SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
    EXPECT_EQ(tables.size(), expected.size()) << "unexpected extra tables";
}

TEST_P(SchemaCatalog, GeneratedTagValuesAndDefaults) {
    const auto generated = query(conn(), "SELECT column_name, is_generated, generation_expression "
                                         "FROM information_schema.columns WHERE table_name = 'events' "
                                         "AND is_generated = 'ALWAYS'");
    if (full()) {
        ASSERT_EQ(generated.size(), 1u);
        EXPECT_EQ(generated[0][0].as<std::string>(), "tagvalues");
        EXPECT_EQ(generated[0][2].as<std::string>(), "tags_to_tagvalues(tags)");
    } else {
        EXPECT_EQ(generated.size(), 0u);
    }
    EXPECT_EQ(scalar(conn(), "SELECT column_default FROM information_schema.columns "
                             "WHERE table_name = 'service_state' AND column_name = 'state'"),
              "'{}'::jsonb");
}

TEST_P(SchemaCatalog, PrimaryAndForeignKeys) {
    const auto keys = strings(conn(), "SELECT conrelid::regclass || ' ' || pg_get_constraintdef(oid) "
                                      "FROM pg_constraint WHERE contype IN ('p', 'f') "
                                      "AND connamespace = 'public'::regnamespace");
    const std::set<std::string> expected = {
        "relays PRIMARY KEY (url)",
        "events PRIMARY KEY (id)",
        "events_relays PRIMARY KEY (event_id, relay_url)",
        "events_relays FOREIGN KEY (event_id) REFERENCES events(id) ON DELETE CASCADE",
        "events_relays FOREIGN KEY (relay_url) REFERENCES relays(url) ON DELETE CASCADE",
        "nip11 PRIMARY KEY (id)",
        "nip66 PRIMARY KEY (id)",
        "relay_metadata PRIMARY KEY (relay_url, generated_at)",
        "relay_metadata FOREIGN KEY (relay_url) REFERENCES relays(url) ON DELETE CASCADE",
        "relay_metadata FOREIGN KEY (nip11_id) REFERENCES nip11(id) ON DELETE SET NULL",
        "relay_metadata FOREIGN KEY (nip66_id) REFERENCES nip66(id) ON DELETE SET NULL",
        "service_state PRIMARY KEY (service_name)",
        "brotr_export_cursor PRIMARY KEY (node_id)",
    };
    EXPECT_EQ(keys, expected);
}

TEST_P(SchemaCatalog, Indexes) {
    const auto found = strings(conn(), "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' "
                                       "AND indexname LIKE 'idx\\_%'");
    std::set<std::string> expected = {
        "CREATE INDEX idx_events_created_at ON public.events USING btree (created_at DESC)",
        "CREATE INDEX idx_events_kind ON public.events USING btree (kind)",
        "CREATE INDEX idx_events_kind_created_at ON public.events USING btree (kind, created_at DESC)",
        "CREATE INDEX idx_events_pubkey_created_at ON public.events USING btree (pubkey, created_at DESC)",
        "CREATE INDEX idx_events_pubkey_kind_created_at ON public.events USING btree (pubkey, kind, created_at DESC)",
        "CREATE INDEX idx_events_relays_event_id ON public.events_relays USING btree (event_id)",
        "CREATE INDEX idx_events_relays_relay_url ON public.events_relays USING btree (relay_url)",
        "CREATE INDEX idx_events_relays_seen_at ON public.events_relays USING btree (seen_at DESC)",
        "CREATE INDEX idx_events_relays_relay_seen ON public.events_relays USING btree (relay_url, seen_at DESC)",
        "CREATE INDEX idx_nip66_openable ON public.nip66 USING btree (openable) WHERE (openable = true)",
        "CREATE INDEX idx_nip66_readable ON public.nip66 USING btree (readable) WHERE (readable = true)",
        "CREATE INDEX idx_nip66_writable ON public.nip66 USING btree (writable) WHERE (writable = true)",
        "CREATE INDEX idx_relay_metadata_generated_at ON public.relay_metadata USING btree (generated_at DESC)",
        "CREATE INDEX idx_relay_metadata_nip11_id ON public.relay_metadata USING btree (nip11_id)",
        "CREATE INDEX idx_relay_metadata_nip66_id ON public.relay_metadata USING btree (nip66_id)",
        "CREATE INDEX idx_relay_metadata_url_generated ON public.relay_metadata USING btree (relay_url, "
        "generated_at DESC)",
    };
    if (full()) expected.insert("CREATE INDEX idx_events_tagvalues ON public.events USING gin (tagvalues)");
    EXPECT_EQ(found, expected);
}

TEST_P(SchemaCatalog, FunctionSignatures) {
    const auto found = strings(conn(), "SELECT proname || '(' || oidvectortypes(proargtypes) || ') ' || "
                                       "pg_get_function_result(oid) || ' ' || provolatile::text || "
                                       "CASE WHEN proisstrict THEN ' strict' ELSE '' END "
                                       "FROM pg_proc WHERE pronamespace = 'public'::regnamespace "
                                       "AND (proname LIKE 'insert\\_%' OR proname LIKE 'delete\\_orphan\\_%' "
                                       "OR proname LIKE 'compute\\_nip%' OR proname = 'tags_to_tagvalues')");
    const std::set<std::string> expected = {
        "tags_to_tagvalues(jsonb) text[] i strict",
        "compute_nip11_hash(text, text, text, text, text, text, jsonb, text, text, text, text, jsonb, jsonb) "
        "bytea i",
        "compute_nip66_hash(boolean, boolean, boolean, integer, integer, integer) bytea i",
        "insert_event(bytea, bytea, bigint, integer, jsonb, text, bytea, text, text, bigint, bigint) void v",
        "insert_relay(text, text, bigint) void v",
        "insert_relay_metadata(text, text, bigint, bigint, boolean, boolean, boolean, boolean, integer, integer, "
        "integer, boolean, text, text, text, text, text, text, jsonb, text, text, text, text, jsonb, jsonb) void v",
        "delete_orphan_events() integer v",
        "delete_orphan_nip11() integer v",
        "delete_orphan_nip66() integer v",
    };
    EXPECT_EQ(found, expected);
}

TEST_P(SchemaCatalog, ViewColumns) {
    const std::map<std::string, std::vector<std::string>> expected = {
        {"relay_metadata_latest",
         {"relay_url text", "network text", "inserted_at bigint", "generated_at bigint", "nip66_id bytea",
          "nip66_openable boolean", "nip66_readable boolean", "nip66_writable boolean", "nip66_rtt_open integer",
          "nip66_rtt_read integer", "nip66_rtt_write integer", "nip11_id bytea", "nip11_name text",
          "nip11_description text", "nip11_banner text", "nip11_icon text", "nip11_pubkey text",
          "nip11_contact text", "nip11_supported_nips jsonb", "nip11_software text", "nip11_version text",
          "nip11_privacy_policy text", "nip11_terms_of_service text", "nip11_limitation jsonb",
          "nip11_extra_fields jsonb"}},
        {"events_statistics",
         {"total_events bigint", "unique_pubkeys bigint", "unique_kinds bigint", "earliest_event_timestamp bigint",
          "latest_event_timestamp bigint", "regular_events bigint", "replaceable_events bigint",
          "ephemeral_events bigint", "addressable_events bigint", "events_last_hour bigint",
          "events_last_24h bigint", "events_last_7d bigint", "events_last_30d bigint"}},
        {"relays_statistics",
         {"relay_url text", "network text", "inserted_at bigint", "event_count bigint", "unique_pubkeys bigint",
          "first_event_timestamp bigint", "last_event_timestamp bigint", "avg_rtt_open numeric",
          "avg_rtt_read numeric", "avg_rtt_write numeric"}},
        {"kind_counts_total", {"kind integer", "event_count bigint", "unique_pubkeys bigint"}},
        {"kind_counts_by_relay", {"kind integer", "relay_url text", "event_count bigint", "unique_pubkeys bigint"}},
        {"pubkey_counts_total",
         {"pubkey_hex text", "event_count bigint", "unique_kinds bigint", "first_event_timestamp bigint",
          "last_event_timestamp bigint"}},
        {"pubkey_counts_by_relay",
         {"pubkey_hex text", "relay_url text", "event_count bigint", "unique_kinds bigint",
          "first_event_timestamp bigint", "last_event_timestamp bigint", "kinds_used integer[]"}},
    };
    for (const auto& [view, columns] : expected) {
        ASSERT_EQ(scalar(conn(), "SELECT relkind FROM pg_class WHERE oid = to_regclass('" + view + "')"), "v")
            << view;
        std::vector<std::string> found;
        for (const auto& c : table_columns(conn(), view)) found.push_back(c.name + " " + c.type);
        EXPECT_EQ(found, columns) << view;
    }
}

TEST_P(SchemaCatalog, EveryFileIsIdempotentUnderPsql) {
    // sql/README.md promises that `psql -f` over the files in the loader's
    // order works, twice, and installs what the loader installs.
    const auto server = pg_server_env();
    if (!server.contains("PGBIN")) GTEST_SKIP() << "the fixture's env file names no PGBIN";
    const std::string psql = server.at("PGBIN") + "/psql";
    PgTestDb fresh;
    const auto files = pg::load_sql_files(source_sql_root(), GetParam());
    for (int round = 0; round < 2; ++round) {
        for (const auto& file : files) {
            const auto out = run_command({psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", fresh.conninfo(), "-f",
                                          (source_sql_root() / file.name).string()});
            ASSERT_EQ(out.exit_code, 0) << file.name << " round " << round << ": " << out.err;
        }
    }
    auto fresh_conn = fresh.connect();
    EXPECT_EQ(pg::check_schema(*fresh_conn, GetParam()), std::vector<std::string>{});
    EXPECT_EQ(schema_catalog(*fresh_conn), schema_catalog(conn()));
}

INSTANTIATE_TEST_SUITE_P(Variants, SchemaCatalog, ::testing::Values(Variant::bigbrotr, Variant::lilbrotr),
                         [](const ::testing::TestParamInfo<Variant>& variant) { return std::string(pg::to_string(variant.param)); });

}  // namespace
}  // namespace brotr::test
