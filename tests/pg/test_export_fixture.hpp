// A store in a temporary directory plus a fresh database with a schema
// variant, and a helper that runs the exporter until the changelog head.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "brotr/store.hpp"
#include "exporters/exporter.hpp"
#include "pg/pg_schema_fixture.hpp"
#include "pg/test_export_compare.hpp"
#include "pg/test_export_dataset.hpp"
#include "support/pg_test_db.hpp"
#include "support/test_env.hpp"

namespace brotr::test {

struct ExportTotals {
    std::size_t batches = 0;
    std::size_t entries = 0;
    pg::TableCounts staged, inserted;
    std::vector<pg::SkippedRow> skipped;
    std::size_t self_contained_batches = 0;
};

// Exports every changelog entry up to the head at the call.
inline ExportTotals export_all(Store& store, pqxx::connection& connection, const pg::ExporterOptions& options) {
    pg::Exporter exporter(store, connection, options);
    const std::uint64_t head = store.changelog_head();
    ExportTotals totals;
    while (auto batch = exporter.export_batch(head)) {
        ++totals.batches;
        totals.entries += batch->entries;
        totals.staged += batch->staged;
        totals.inserted += batch->inserted;
        for (auto& s : batch->skipped) totals.skipped.push_back(std::move(s));
        if (batch->self_contained) ++totals.self_contained_batches;
    }
    EXPECT_EQ(exporter.cursor(), head);
    return totals;
}

inline pg::ExporterOptions export_options(std::string node_id, std::size_t batch_size = 500) {
    pg::ExporterOptions o;
    o.node_id = std::move(node_id);
    o.batch_size = batch_size;
    return o;
}

// A store of `StoreVariant` and a database with `SchemaVariant`'s schema.
class ExportTest : public ::testing::Test {
protected:
    void open_store(StoreVariant variant = StoreVariant::bigbrotr, const std::string& name = "store") {
        stores_.push_back(std::make_unique<Store>(Store::init((dir_ / name).string(), variant)));
    }
    Store& store(std::size_t i = 0) { return *stores_.at(i); }

    void create_database(pg::SchemaVariant variant = pg::SchemaVariant::bigbrotr) {
        db_ = std::make_unique<PgTestDb>();
        conn_ = db_->connect();
        apply_schema(*conn_, variant);
    }
    pqxx::connection& conn() { return *conn_; }
    const std::string& conninfo() const { return db_->conninfo(); }

    TempDir dir_;
    std::vector<std::unique_ptr<Store>> stores_;
    std::unique_ptr<PgTestDb> db_;
    std::unique_ptr<pqxx::connection> conn_;
};

}  // namespace brotr::test
