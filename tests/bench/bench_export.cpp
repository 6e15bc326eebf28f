// How fast the exporter fills PostgreSQL, against the practical limit and
// against the original's way of writing.
//
// In one run, on the same store of 100,000 generated signed events (each
// seen on 1-3 of 44 relays, plus relay metadata snapshots and service state),
// each path into a fresh database with the bigbrotr schema (all indexes):
//   raw COPY   the same rows, encoded beforehand, COPYed (binary) straight
//              into the indexed tables, one transaction per batch of the
//              same changelog entries: no staging, no conflict handling, no
//              cursor, no reading of the store. The practical limit.
//   exporter   pg::Exporter from the store: changelog, fetch, encode, COPY
//              (events and links straight into their tables while all new,
//              the rest into staging, then INSERT ... ON CONFLICT DO NOTHING),
//              cursor; binary and text COPY, 10,000 and 1,000 entries per
//              transaction, and with every table through staging.
//   insert_event  the original's path: a prepared `SELECT insert_event(...)`
//              executed once per (event, relay) row inside one transaction per
//              1,000 rows (executemany), parameters built beforehand; then
//              the same calls again, which find every row present and so
//              measure the per-call cost without the tables' own work.
// Rates are events per wall-clock second (PostgreSQL works in another
// process). Raw COPY and the main exporter configuration alternate for
// BROTR_BENCH_ROUNDS rounds (default 2) and the best round of each counts,
// which keeps the ratio honest on a machine busy with other work.
// Goals: exporter >= 60% of raw COPY, >= 10x insert_event.
//
// PostgreSQL: the server named by BROTR_PG_ENV (the test fixture's file of
// PGHOST/PGPORT/PGUSER lines) if set; otherwise the program starts its own
// with tests/support/test-postgres.sh and stops it at the end.
// BROTR_BENCH_EXPORT_EVENTS changes the number of events.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <pqxx/connection>
#include <pqxx/nontransaction>
#include <pqxx/transaction>

#include "brotr/hex.hpp"
#include "brotr/store.hpp"
#include "exporters/export_batch.hpp"
#include "exporters/exporter.hpp"
#include "exporters/pg_copy.hpp"
#include "exporters/pg_schema.hpp"
#include "exporters/row_encoding.hpp"
#include "nostr/event_json_escape.hpp"
#include "pg/test_export_dataset.hpp"
#include "support/test_env.hpp"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using namespace brotr;

namespace {

std::size_t env_number(const char* name, std::size_t fallback) {
    const char* v = std::getenv(name);
    return v != nullptr && *v != '\0' ? static_cast<std::size_t>(std::stoull(v)) : fallback;
}

fs::path source_dir() { return fs::path(*test::env("BROTR_SOURCE_DIR")); }

std::map<std::string, std::string> read_env_file(const fs::path& file) {
    std::map<std::string, std::string> out;
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);)
        if (auto eq = line.find('='); eq != std::string::npos) out[line.substr(0, eq)] = line.substr(eq + 1);
    return out;
}

// The server to use, started here when the tests' one is not around.
class Server {
public:
    Server() {
        fs::path env_file;
        if (auto e = test::env("BROTR_PG_ENV"); e && fs::exists(*e)) {
            env_file = *e;
        } else {
            state_ = std::make_unique<test::TempDir>();
            script_ = (source_dir() / "tests/support/test-postgres.sh").string();
            const auto out = test::run_command({script_, "start", state_->path().string()});
            if (out.exit_code != 0) throw std::runtime_error("cannot start PostgreSQL: " + out.err + out.out);
            env_file = state_->path() / "env";
            std::printf("started %s", out.out.c_str());
        }
        const auto env = read_env_file(env_file);
        base_ = "host=" + env.at("PGHOST") + " port=" + env.at("PGPORT") + " user=" + env.at("PGUSER");
    }
    ~Server() {
        if (state_) test::run_command({script_, "stop", state_->path().string()});
    }
    std::string conninfo(const std::string& db) const { return base_ + " dbname=" + db; }

    // A fresh database with the bigbrotr schema.
    std::string create_database() {
        const std::string name = "bench_export_" + std::to_string(::getpid()) + "_" + std::to_string(next_++);
        {
            pqxx::connection admin(conninfo("postgres"));
            pqxx::nontransaction tx(admin);
            tx.exec("CREATE DATABASE " + tx.quote_name(name));
        }
        pqxx::connection c(conninfo(name));
        pg::apply_sql_files(c, pg::load_sql_files(source_dir() / "sql", pg::SchemaVariant::bigbrotr));
        return name;
    }
    void drop_database(const std::string& name) {
        pqxx::connection admin(conninfo("postgres"));
        pqxx::nontransaction tx(admin);
        tx.exec("DROP DATABASE IF EXISTS " + tx.quote_name(name) + " WITH (FORCE)");
    }

private:
    std::unique_ptr<test::TempDir> state_;
    std::string script_;
    std::string base_;
    int next_ = 0;
};

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// ---- raw COPY ----------------------------------------------------------------

struct RawBatch {
    std::array<std::string, 8> copy_data;  // by ChangeTable
};

// The store's rows in changelog order, encoded per batch of `batch_size`
// entries for COPY straight into the tables (service state: each service
// once, in the last batch, as the tables hold one row per service).
std::vector<RawBatch> encode_raw_batches(const Store& store, std::size_t batch_size) {
    std::vector<RawBatch> out;
    std::map<std::string, ServiceState> states;
    std::uint64_t after = 0;
    for (;;) {
        const auto entries = store.read_changelog(after, batch_size);
        if (entries.empty()) break;
        after = entries.back().seq;
        std::array<pg::BinaryCopyBuffer, 8> buffers;
        auto buffer = [&](ChangeTable t) -> pg::BinaryCopyBuffer& { return buffers[static_cast<std::size_t>(t)]; };
        for (const auto& entry : entries) {
            const auto row = store.fetch_row(entry).value();
            if (auto* r = std::get_if<RelayRecord>(&row)) pg::encode_relay(*r, buffer(ChangeTable::relays));
            if (auto* e = std::get_if<Event>(&row))
                pg::encode_event(*e, pg::EventColumns::full, buffer(ChangeTable::events));
            if (auto* l = std::get_if<EventRelayRow>(&row)) pg::encode_event_relay(*l, buffer(ChangeTable::events_relays));
            if (auto* n = std::get_if<Nip11Row>(&row)) pg::encode_nip11(*n, buffer(ChangeTable::nip11));
            if (auto* n = std::get_if<Nip66Row>(&row)) pg::encode_nip66(*n, buffer(ChangeTable::nip66));
            if (auto* m = std::get_if<RelayMetadataRow>(&row))
                pg::encode_relay_metadata(*m, buffer(ChangeTable::relay_metadata));
            if (auto* s = std::get_if<ServiceState>(&row)) states[s->name] = *s;
        }
        RawBatch batch;
        for (ChangeTable t : pg::kMergeOrder)
            if (!buffer(t).empty()) batch.copy_data[static_cast<std::size_t>(t)] = buffer(t).finish();
        out.push_back(std::move(batch));
    }
    pg::BinaryCopyBuffer state_buffer;
    for (const auto& [name, s] : states) pg::encode_service_state(s, state_buffer);
    if (!out.empty() && !state_buffer.empty())
        out.back().copy_data[static_cast<std::size_t>(ChangeTable::service_state)] = state_buffer.finish();
    return out;
}

double run_raw_copy(Server& server, const std::vector<RawBatch>& batches) {
    const auto db = server.create_database();
    double elapsed = 0;
    {
        pqxx::connection c(server.conninfo(db));
        const auto start = Clock::now();
        for (const auto& batch : batches) {
            pqxx::work tx(c);
            for (ChangeTable t : pg::kMergeOrder) {
                const auto& data = batch.copy_data[static_cast<std::size_t>(t)];
                if (!data.empty())
                    pg::copy_in(tx, to_string(t), pg::copy_columns(t, pg::EventColumns::full), pg::CopyFormat::binary,
                                data);
            }
            tx.commit();
        }
        elapsed = seconds_since(start);
    }
    server.drop_database(db);
    return elapsed;
}

// ---- the exporter --------------------------------------------------------------

double run_exporter(Server& server, Store& store, std::size_t batch_size, pg::CopyFormat format,
                    std::size_t expected_events, bool direct_copy = true) {
    const auto db = server.create_database();
    double elapsed = 0;
    {
        pqxx::connection c(server.conninfo(db));
        pg::ExporterOptions o;
        o.node_id = "bench";
        o.batch_size = batch_size;
        o.format = format;
        o.direct_copy = direct_copy;
        const auto start = Clock::now();
        pg::Exporter exporter(store, c, o);
        std::uint64_t events = 0;
        while (auto batch = exporter.export_batch(store.changelog_head())) events += batch->inserted[ChangeTable::events];
        elapsed = seconds_since(start);
        if (events != expected_events)
            throw std::runtime_error("the exporter wrote " + std::to_string(events) + " events, expected " +
                                     std::to_string(expected_events));
    }
    server.drop_database(db);
    return elapsed;
}

// ---- the original's per-row procedure --------------------------------------------

struct ProcedureRow {
    std::string id, pubkey, created_at, kind, tags, content, sig, relay, network, inserted_at, seen_at;
};

std::vector<ProcedureRow> procedure_rows(const Store& store) {
    std::map<std::string, RelayRecord> relays;
    for (const auto& r : store.relays()) relays[r.url] = r;
    std::vector<ProcedureRow> rows;
    store.for_each_event({}, [&](const Event& e) {
        std::string tags;
        brotr::detail::append_tags_json(e.tags, tags);
        for (const auto& link : store.event_relays(e.id)) {
            const auto& relay = relays.at(link.relay_url);
            rows.push_back({"\\x" + to_hex(e.id), "\\x" + to_hex(e.pubkey), std::to_string(e.created_at),
                            std::to_string(e.kind), tags, e.content, "\\x" + to_hex(e.sig), link.relay_url,
                            std::string(to_string(relay.network)), std::to_string(relay.inserted_at),
                            std::to_string(link.seen_at)});
        }
        return true;
    });
    // The original inserts in the order events arrive, oldest first.
    std::reverse(rows.begin(), rows.end());
    return rows;
}

struct ProcedureTimes {
    double first = 0;   // into the empty tables
    double repeat = 0;  // the same calls again: every row present, the call overhead alone
};

ProcedureTimes run_procedure(Server& server, const std::vector<ProcedureRow>& rows, std::size_t expected_events) {
    const auto db = server.create_database();
    ProcedureTimes times;
    {
        pqxx::connection c(server.conninfo(db));
        c.prepare("insert_event", "SELECT insert_event($1::bytea, $2::bytea, $3::bigint, $4::integer, $5::jsonb, $6, "
                                  "$7::bytea, $8, $9, $10::bigint, $11::bigint)");
        const auto pass = [&] {
            const auto start = Clock::now();
            for (std::size_t at = 0; at < rows.size(); at += 1000) {
                pqxx::work tx(c);
                for (std::size_t i = at; i < std::min(rows.size(), at + 1000); ++i) {
                    const auto& r = rows[i];
                    tx.exec_prepared("insert_event", r.id, r.pubkey, r.created_at, r.kind, r.tags, r.content, r.sig,
                                     r.relay, r.network, r.inserted_at, r.seen_at);
                }
                tx.commit();
            }
            return seconds_since(start);
        };
        times.first = pass();
        times.repeat = pass();
        pqxx::nontransaction check(c);
        const auto events = check.exec1("SELECT COUNT(*) FROM events")[0].as<std::size_t>();
        if (events != expected_events)
            throw std::runtime_error("insert_event wrote " + std::to_string(events) + " events, expected " +
                                     std::to_string(expected_events));
    }
    server.drop_database(db);
    return times;
}

}  // namespace

int main() {
    try {
        const std::size_t n_events = env_number("BROTR_BENCH_EXPORT_EVENTS", 100000);
        const std::size_t rounds = std::max<std::size_t>(1, env_number("BROTR_BENCH_ROUNDS", 2));
        constexpr std::size_t kBatch = 10000;

        Server server;
        test::TempDir dir;
        Store store = Store::init((dir / "store").string(), StoreVariant::bigbrotr);
        test::DatasetSpec spec;
        spec.events = n_events;
        spec.clearnet_relays = 40;
        spec.tor_relays = 4;
        spec.insert_batch = 2000;
        auto t0 = Clock::now();
        const auto filled = test::fill_store(store, spec);
        const auto summary = store.summary();
        std::printf("dataset: %zu events, %zu relay links, %llu relays, %llu snapshots, changelog %llu entries "
                    "(generated and stored in %.1f s)\n",
                    filled.events, filled.links, static_cast<unsigned long long>(summary.relays),
                    static_cast<unsigned long long>(summary.relay_metadata),
                    static_cast<unsigned long long>(summary.changelog_head), seconds_since(t0));

        t0 = Clock::now();
        const auto raw_batches = encode_raw_batches(store, kBatch);
        const auto rows = procedure_rows(store);
        std::printf("prepared raw COPY data and %zu insert_event parameter rows in %.1f s (not timed below)\n",
                    rows.size(), seconds_since(t0));
        std::fflush(stdout);

        const double events = static_cast<double>(filled.events);
        double best_raw = 1e300, best_exporter = 1e300;
        for (std::size_t round = 0; round < rounds; ++round) {
            const double raw = run_raw_copy(server, raw_batches);
            const double exp = run_exporter(server, store, kBatch, pg::CopyFormat::binary, filled.events);
            std::printf("round %zu: raw COPY %.2f s (%.0f events/s), exporter %.2f s (%.0f events/s)\n", round + 1,
                        raw, events / raw, exp, events / exp);
            std::fflush(stdout);
            best_raw = std::min(best_raw, raw);
            best_exporter = std::min(best_exporter, exp);
        }
        const double text = run_exporter(server, store, kBatch, pg::CopyFormat::text, filled.events);
        std::printf("exporter, text COPY, %zu entries/tx: %.2f s (%.0f events/s)\n", kBatch, text, events / text);
        const double small = run_exporter(server, store, 1000, pg::CopyFormat::binary, filled.events);
        std::printf("exporter, binary COPY, 1000 entries/tx: %.2f s (%.0f events/s)\n", small, events / small);
        const double staged = run_exporter(server, store, kBatch, pg::CopyFormat::binary, filled.events, false);
        std::printf("exporter, binary COPY, %zu entries/tx, every table through staging: %.2f s (%.0f events/s)\n",
                    kBatch, staged, events / staged);
        std::fflush(stdout);
        const auto procedure_times = run_procedure(server, rows, filled.events);
        const double procedure = procedure_times.first;
        const double call_rate = static_cast<double>(rows.size()) / procedure_times.repeat;
        std::printf("insert_event per row, 1000 rows/tx: %.2f s (%.0f events/s, %.0f rows/s)\n", procedure,
                    events / procedure, static_cast<double>(rows.size()) / procedure);
        std::printf("insert_event again on the same rows (all present: the per-call cost alone): %.2f s (%.0f "
                    "rows/s)\n",
                    procedure_times.repeat, call_rate);

        const double vs_raw = best_raw / best_exporter;
        const double vs_procedure = procedure / best_exporter;
        std::printf("\nbest of %zu: raw COPY %.0f events/s, exporter (binary, %zu entries/tx) %.0f events/s\n", rounds,
                    events / best_raw, kBatch, events / best_exporter);
        std::printf("exporter / raw COPY     = %.2f  (goal >= 0.60: %s)\n", vs_raw, vs_raw >= 0.60 ? "met" : "MISSED");
        std::printf("exporter / insert_event = %.1fx (goal >= 10x: %s)\n", vs_procedure,
                    vs_procedure >= 10 ? "met" : "MISSED");
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_export: %s\n", e.what());
        return 1;
    }
}
