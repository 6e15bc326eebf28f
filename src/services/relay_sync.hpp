// One relay's part of a synchronizer cycle: connect, fetch its window with
// the time-window stack algorithm, store every event with the relay link.
// Signature checks and store writes run on a thread pool, overlapped with the
// next request, so they never hold up the I/O of other relay sessions.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "brotr/address_policy.hpp"
#include "brotr/store.hpp"
#include "net/connect_options.hpp"
#include "brotr/filter.hpp"
#include "net/session_stats.hpp"
#include "services/relay_selection.hpp"
#include "services/time_window.hpp"

namespace boost::asio {
class thread_pool;
}

namespace brotr::runtime {
class Shutdown;
}

namespace brotr::services {

// What every relay of a cycle shares.
struct RelaySyncContext {
    Store* store = nullptr;
    boost::asio::thread_pool* store_pool = nullptr;  // runs insert_events()
    runtime::Shutdown* shutdown = nullptr;
    Filter filter;                      // ids, kinds, authors, tags from config (no since/until/limit)
    WindowFetchOptions fetch;           // limit, request bound
    AddressPolicy address_policy;       // for relays that did not come from the config
    std::optional<net::Socks5Proxy> socks5;  // for .onion relays; unset: tor disabled
    std::shared_ptr<net::TlsContext> tls;    // null: system CAs
};

struct RelaySyncResult {
    bool success = false;
    // When not: a category for counting (connect, timeout, closed,
    // disconnected, relay_timeout, contradicted, request_limit, shutdown,
    // store) and the details for logs.
    std::string failure;
    std::string failure_detail;
    TimeWindow window{};
    std::uint64_t events_received = 0;  // events the relay sent that the session handed out
    std::uint64_t stored = 0;           // new events
    std::uint64_t duplicates = 0;       // already stored (from another relay or an earlier cycle)
    std::uint64_t links_added = 0;
    std::array<std::uint64_t, kEventErrorCount> invalid{};  // by EventError (id_mismatch, invalid_signature)
    net::DropCounts drops;              // what the session dropped (outside the window, over the limit, ...)
    WindowFetchStats fetch;
    std::chrono::steady_clock::duration elapsed{};
    // Where the time went (they overlap: an answer is stored while the next
    // one is awaited): waiting for answers (relay, network, parsing), and
    // in insert_events (dedup, id and signature checks, the write).
    std::chrono::steady_clock::duration relay_time{};
    std::chrono::steady_clock::duration store_time{};
};

// Never throws: every failure is reported in the result (store errors too,
// which then also leave the relay's timestamp as it was).
boost::asio::awaitable<RelaySyncResult> sync_relay(const RelaySyncContext& context, const RelayTarget& target,
                                                   TimeWindow window);

}  // namespace brotr::services
