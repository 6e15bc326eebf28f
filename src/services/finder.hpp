// The Finder service (docs/services.md): discovers relay URLs and adds the new
// ones to the registry. Each cycle:
//   1. API sources (api.sources): each enabled source is fetched with its
//      own timeout, api.delay_between_requests apart (finder_api.hpp);
//   2. event scan (events.enabled): the events archived since the cursor in
//      the finder's state (finder_scan.hpp); the cursor is saved after every
//      batch, so a restart resumes where the scan stopped.
// Every URL is screened (finder_url_policy.hpp: valid relay URL, SSRF rule)
// before it is added.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

#include "brotr/address_policy.hpp"
#include "brotr/config.hpp"
#include "brotr/store.hpp"
#include "runtime/service.hpp"

namespace boost::asio {
class thread_pool;
}

namespace brotr::net {
class TlsContext;
}

namespace brotr::services {

struct FinderOptions {
    // Unix time of inserted_at; tests move it forward.
    std::function<std::int64_t()> clock;
    // Null: the system's CAs.
    std::shared_ptr<net::TlsContext> tls;
    // The SSRF rule for the API sources themselves (and their redirects);
    // nullopt (the default) because they come from the operator's file.
    std::optional<AddressPolicy> api_address_policy;
    std::size_t api_max_body_bytes = 8 * 1024 * 1024;
    // Changelog entries read per scan batch (one store round each).
    std::size_t scan_batch = 2000;
};

struct FinderCycleStats {
    std::size_t sources = 0;          // API sources fetched
    std::size_t sources_failed = 0;
    std::size_t api_urls = 0;         // URL strings the sources returned
    std::size_t events_scanned = 0;
    std::size_t event_urls = 0;       // URL candidates found in events
    std::size_t invalid = 0;          // candidates that are not relay URLs
    std::size_t refused = 0;          // candidates the SSRF rule refused
    std::size_t new_relays = 0;       // added to the registry
    std::uint64_t missed_entries = 0;  // changelog entries trimmed before they were scanned
    std::uint64_t cursor = 0;         // after the cycle
    bool interrupted = false;
    double duration = 0;
};

class Finder : public runtime::Service {
public:
    static constexpr std::string_view kName = "finder";

    // `address_policy` is brotr.yaml's `network`: the SSRF rule for discovered URLs.
    Finder(Store& store, FinderConfig config, AddressPolicy address_policy, FinderOptions options = {});
    ~Finder() override;

    std::string_view name() const override { return kName; }
    std::chrono::seconds interval() const override;
    boost::asio::awaitable<runtime::CycleReport> run_cycle(runtime::Shutdown& shutdown) override;
    void persist_state() override;

    std::uint64_t cursor() const;
    FinderCycleStats last_cycle() const;

    // The state JSON {"changelog_cursor": n}; a missing or unreadable state means 0.
    static std::uint64_t parse_cursor(std::string_view state_json);

    struct Cycle;

private:
    std::int64_t now() const;
    void load_state();
    void save_state();
    boost::asio::awaitable<void> fetch_sources(Cycle& cycle, runtime::Shutdown& shutdown);
    boost::asio::awaitable<void> scan_events(Cycle& cycle, runtime::Shutdown& shutdown);

    Store& store_;
    FinderConfig config_;
    AddressPolicy address_policy_;
    FinderOptions options_;
    std::unique_ptr<boost::asio::thread_pool> store_pool_;

    mutable std::mutex mutex_;  // guards what follows
    std::uint64_t cursor_ = 0;
    bool state_loaded_ = false;
    bool state_dirty_ = false;
    FinderCycleStats last_;
};

}  // namespace brotr::services
