// One relay's check: the NIP-11 document and the NIP-66 open/read/write tests.
// The NIP-11 fetch runs alongside the open and read tests; the write test
// follows, since the document may ask for proof of work. Every step has the
// network's timeout, and the whole check ends by `budget`, so a relay that
// stalls costs at most that, whatever it does.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "brotr/metadata.hpp"
#include "brotr/relay_url.hpp"
#include "net/connect_options.hpp"
#include "services/nip11_document.hpp"
#include "services/nip66_probe.hpp"

namespace brotr::services {

struct RelayCheckOptions {
    net::ConnectOptions connect{};  // SSRF policy, SOCKS5 proxy, TLS trust
    std::chrono::milliseconds timeout{30'000};  // each step
    std::chrono::milliseconds budget{60'000};   // the whole check
    std::size_t nip11_max_bytes = 1024 * 1024;
    // Set to run the write test; unset: writable false, rtt_write NULL.
    std::optional<WriteTestSigning> signing{};
};

struct RelayCheck {
    // nip11 is set when a document was fetched; nip66 when the relay was
    // tested (not when local rules refused it before any traffic).
    RelayMetadata metadata;
    std::optional<Nip11Document> nip11_document;
    std::string nip11_error;
    std::string open_error;
    std::string read_detail;
    std::string write_detail;
    bool write_skipped = false;
    std::optional<Event> write_event;  // the signed test event that was sent
    std::chrono::microseconds elapsed{0};

    bool has_snapshot() const { return metadata.nip11.has_value() || metadata.nip66.has_value(); }
};

boost::asio::awaitable<RelayCheck> check_relay(boost::asio::any_io_executor executor, const RelayUrl& relay,
                                               const RelayCheckOptions& options, std::int64_t generated_at);

}  // namespace brotr::services
