#include "services/export_service.hpp"
#include "services/service_metrics.hpp"

#include <algorithm>
#include <exception>
#include <stdexcept>

#include <boost/asio/thread_pool.hpp>
#include <pqxx/connection>
#include <pqxx/except>

#include "brotr/log.hpp"
#include "exporters/full_export.hpp"
#include "runtime/blocking.hpp"
#include "runtime/shutdown.hpp"
#include "util/clock.hpp"

namespace brotr::services {

struct ExportService::CycleTotals {
    std::size_t batches = 0;
    std::size_t entries = 0;
    std::size_t skipped = 0;
    std::size_t failures = 0;
    pg::TableCounts inserted;
    std::uint64_t head = 0;
};

struct ExportService::Session {
    std::unique_ptr<pqxx::connection> connection;
    std::unique_ptr<pg::Exporter> exporter;
    std::unique_ptr<pg::FullExport> full;  // while the database is being filled from the tables
};

ExportServiceOptions export_service_options(const BrotrConfig& config) {
    ExportServiceOptions o;
    o.connection.conninfo = config.exporter.conninfo;
    if (config.exporter.password_env != "PGPASSWORD") o.connection.password_env = config.exporter.password_env;
    o.exporter.node_id = config.node_id;
    o.exporter.batch_size = config.exporter.batch_size;
    o.cycle = std::chrono::milliseconds(static_cast<std::int64_t>(config.exporter.interval * 1000));
    return o;
}

ExportService::ExportService(Store& store, ExportServiceOptions options)
    : store_(store),
      options_(std::move(options)),
      target_(pg::resolve_target(options_.connection.conninfo).describe()),
      pool_(std::make_unique<boost::asio::thread_pool>(1)) {
    if (!pg::valid_node_id(options_.exporter.node_id))
        throw std::invalid_argument("exporter: node id \"" + options_.exporter.node_id +
                                    "\" is invalid: use 1 to 64 of the characters A-Z a-z 0-9 . _ -");
    // Registered before the first connection, so that a trim running before
    // it cannot drop what this node has not exported; connecting moves the
    // cursor to the database's.
    store_.reserve_changelog_consumer(consumer_name(), store_.changelog_status().trimmed_to, unix_now());
}

ExportService::~ExportService() {
    pool_->join();
    disconnect();
}

void ExportService::disconnect() {
    session_.reset();  // the exporter first, then its connection
    cursor_.reset();
}

void ExportService::persist_state() {
    // The cursor lives in PostgreSQL, committed with the rows: nothing to save.
    pool_->join();
    disconnect();
}

std::string ExportService::consumer_name() const { return "exporter:" + options_.exporter.node_id; }

ExportService::Step ExportService::export_step(CycleTotals& totals) {
    if (!session_) {
        auto session = std::make_unique<Session>();
        session->connection = pg::connect(options_.connection);
        session->exporter = std::make_unique<pg::Exporter>(store_, *session->connection, options_.exporter);
        session_ = std::move(session);
        cursor_ = session_->exporter->cursor();
        exported_seq_ = *cursor_;
        // Registered, so that the changelog keeps what this node has not exported yet.
        store_.set_changelog_consumer(consumer_name(), std::min(*cursor_, store_.changelog_head()), unix_now());
        log::info(kName, "connected",
                  {{"target", target_}, {"node_id", options_.exporter.node_id}, {"cursor", *cursor_},
                   {"events_columns", session_->exporter->event_columns() == pg::EventColumns::full ? "full" : "light"}});
        if (session_->exporter->needs_full_export()) {
            session_->full = std::make_unique<pg::FullExport>(store_, *session_->exporter);
            // The changelog after the full export's head must stay until it is exported.
            store_.set_changelog_consumer(consumer_name(), session_->full->head(), unix_now());
            log::warn(kName, "full_export_started",
                      {{"cursor", *cursor_}, {"head", session_->full->head()},
                       {"why", "the store's changelog no longer holds the entries after this node's cursor "
                               "(trimmed): every row is copied from the tables, then the changelog takes over"}});
        }
    }
    if (session_->full) return full_export_step(totals);
    const std::uint64_t head = store_.changelog_head();
    totals.head = head;
    // Idle: no round trip to PostgreSQL. (A cursor beyond the head goes on
    // to export_batch, which reports it.)
    if (cursor_) set_export_lag(options_.exporter.node_id, head, *cursor_);
    if (cursor_ && *cursor_ == head) return Step::caught_up;
    pg::Exporter& exporter = *session_->exporter;
    auto batch = exporter.export_batch(head);
    if (!batch) {
        // Another exporter of this node got there first.
        cursor_ = exporter.cursor();
        exported_seq_ = *cursor_;
        return Step::caught_up;
    }
    cursor_ = batch->last_seq;
    exported_seq_ = batch->last_seq;
    set_export_lag(options_.exporter.node_id, head, *cursor_);
    store_.set_changelog_consumer(consumer_name(), *cursor_, unix_now());
    record_export_batch(batch->inserted, batch->skipped.size());
    ++totals.batches;
    totals.entries += batch->entries;
    totals.inserted += batch->inserted;
    totals.skipped += batch->skipped.size();
    for (const auto& row : batch->skipped)
        log::warn(kName, "row_skipped",
                  {{"seq", row.seq}, {"table", to_string(row.table)}, {"key", row.key}, {"reason", row.reason}});
    if (batch->self_contained)
        log::warn(kName, "batch_resent_with_parents",
                  {{"first_seq", batch->first_seq}, {"last_seq", batch->last_seq},
                   {"why", "a row it refers to was missing in PostgreSQL"}});
    return Step::exported;
}

ExportService::Step ExportService::full_export_step(CycleTotals& totals) {
    pg::FullExport& full = *session_->full;
    totals.head = store_.changelog_head();
    if (auto batch = full.next_batch()) {
        record_export_batch(batch->inserted, batch->skipped.size());
        ++totals.batches;
        totals.inserted += batch->inserted;
        totals.skipped += batch->skipped.size();
        for (const auto& row : batch->skipped)
            log::warn(kName, "row_skipped", {{"table", to_string(row.table)}, {"key", row.key}, {"reason", row.reason}});
        return Step::exported;
    }
    cursor_ = session_->exporter->cursor();
    exported_seq_ = *cursor_;
    store_.set_changelog_consumer(consumer_name(), *cursor_, unix_now());
    log::info(kName, "full_export_completed", {{"rows", full.rows_sent()}, {"cursor", *cursor_}});
    session_->full.reset();
    return Step::exported;
}

boost::asio::awaitable<runtime::CycleReport> ExportService::run_cycle(runtime::Shutdown& shutdown) {
    using Clock = std::chrono::steady_clock;
    // The first cycle catches up and returns; later ones follow for a whole cycle.
    const bool catch_up_only = first_cycle_;
    first_cycle_ = false;
    const auto cycle_end = Clock::now() + options_.cycle;
    std::chrono::milliseconds backoff{1000};
    CycleTotals totals;

    while (!shutdown.requested()) {
        std::exception_ptr failure;
        Step step = Step::caught_up;
        try {
            step = co_await runtime::run_blocking(*pool_, [this, &totals] { return export_step(totals); });
        } catch (...) {
            failure = std::current_exception();
        }
        if (failure) {
            ++totals.failures;
            co_await runtime::run_blocking(*pool_, [this] { disconnect(); });
            std::string message;
            bool permanent = false;
            try {
                std::rethrow_exception(failure);
            } catch (const pg::ExportTargetError& e) {
                message = target_ + ": " + e.what();
                permanent = true;
            } catch (const pqxx::failure& e) {
                message = target_ + ": " + e.what();  // a lost connection, a failed statement
            } catch (const std::exception& e) {
                message = e.what();  // connection errors name the target themselves
            } catch (...) {
                message = "unknown error";
            }
            count_service_error(kName, permanent ? "target" : "connection");
            // The catch-up cycle fails (and `--once` with it); the runner logs it.
            if (catch_up_only) throw std::runtime_error(message);
            const double retry_in = std::chrono::duration<double>(backoff).count();
            log::write(permanent ? log::Level::error : log::Level::warn, kName, "export_failed",
                       {{"error", message}, {"retry_in", retry_in}});
            if (!co_await shutdown.sleep(backoff)) break;
            backoff = std::min(backoff * 2, options_.max_backoff);
            continue;
        }
        backoff = std::chrono::milliseconds(1000);
        if (!catch_up_only && Clock::now() >= cycle_end) break;
        if (step == Step::exported) continue;
        if (catch_up_only) break;
        if (!co_await shutdown.sleep(options_.poll)) break;
    }

    runtime::CycleReport report;
    report.add_number("batches", totals.batches);
    report.add_number("entries", totals.entries);
    report.add_number("events", totals.inserted[ChangeTable::events]);
    report.add_number("links", totals.inserted[ChangeTable::events_relays]);
    report.add_number("rows", totals.inserted.total());
    report.add_number("skipped", totals.skipped);
    report.add_number("failures", totals.failures);
    report.add_number("cursor", exported_seq_.load());
    report.add_number("lag", totals.head > exported_seq_.load() ? totals.head - exported_seq_.load() : 0);
    co_return report;
}

}  // namespace brotr::services
