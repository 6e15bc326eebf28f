// The exporter as a service of `brotr run` (enabled by `export:` in
// brotr.yaml): keeps the PostgreSQL mirror within about a second of the store.
//
// The first cycle exports everything pending and returns (so `--once` is a
// catch-up). Every later cycle lasts one configured interval, during which
// the service checks the changelog head every poll period and exports new
// entries as soon as they appear; one cycle_completed line per interval sums
// it up. When PostgreSQL is unreachable or a batch fails, the service logs
// the error, waits (1 s, doubling up to max_backoff) and reconnects; the
// cursor in PostgreSQL makes the retry resume exactly where the last
// committed batch ended. PostgreSQL work runs on the service's own thread, so
// the shared I/O threads never block on the database.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "brotr/config.hpp"
#include "brotr/store.hpp"
#include "exporters/exporter.hpp"
#include "exporters/pg_connection.hpp"
#include "runtime/service.hpp"

namespace boost::asio {
class thread_pool;
}

namespace brotr::services {

struct ExportServiceOptions {
    pg::ConnectionSettings connection;
    pg::ExporterOptions exporter;
    std::chrono::milliseconds cycle{std::chrono::seconds(60)};  // a following cycle's length (export.interval)
    std::chrono::milliseconds poll{1000};                       // how often the changelog head is checked
    std::chrono::milliseconds max_backoff{std::chrono::seconds(60)};
};

// brotr.yaml's export section and node id. The password variable is passed
// on only when it is not libpq's own PGPASSWORD, so that without it libpq
// still tries ~/.pgpass and password-less methods.
ExportServiceOptions export_service_options(const BrotrConfig& config);

class ExportService : public runtime::Service {
public:
    static constexpr std::string_view kName = "exporter";

    ExportService(Store& store, ExportServiceOptions options);
    ~ExportService() override;

    std::string_view name() const override { return kName; }
    // Cycles pace themselves (see above): no pause between them.
    std::chrono::seconds interval() const override { return std::chrono::seconds(0); }
    boost::asio::awaitable<runtime::CycleReport> run_cycle(runtime::Shutdown& shutdown) override;
    void persist_state() override;

    // The newest changelog entry known to be in PostgreSQL (thread-safe).
    std::uint64_t exported_seq() const { return exported_seq_.load(); }

    struct CycleTotals;
    struct Session;  // a connection and the exporter on it

private:
    enum class Step { exported, caught_up };
    Step export_step(CycleTotals& totals);  // blocking; on the service's thread
    Step full_export_step(CycleTotals& totals);  // one batch of a full export
    void disconnect();
    std::string consumer_name() const;  // its changelog consumer: "exporter:<node_id>"

    Store& store_;
    ExportServiceOptions options_;
    std::string target_;  // "host .., port .., database .., user .." for messages
    std::unique_ptr<boost::asio::thread_pool> pool_;
    std::unique_ptr<Session> session_;
    std::optional<std::uint64_t> cursor_;  // the database's cursor as last seen
    bool first_cycle_ = true;
    std::atomic<std::uint64_t> exported_seq_{0};
};

}  // namespace brotr::services
