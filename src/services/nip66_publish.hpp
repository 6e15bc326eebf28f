// Publishing the monitor's measurements as NIP-66 events, so clients can use
// them: a relay discovery event (kind 30166) per relay found online, and a
// monitor announcement (kind 10166) per cycle.
//
// Kind 30166: d = the relay URL; n = network; rtt-open / rtt-read / rtt-write
// in milliseconds (when measured); one N tag per supported NIP; R tags for
// the NIP-11 limitation flags (auth, writes, payment, pow; "!" when false);
// content = the NIP-11 document, or "" when there is none.
// Kind 10166: frequency (the cycle interval in seconds); timeout tags
// ["timeout", <ms>, <check>] (NIP-66: index 1 the milliseconds, index 2 the
// check); one c tag per check performed (open, read, write, nip11).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "brotr/event.hpp"
#include "brotr/metadata.hpp"
#include "brotr/relay_url.hpp"
#include "net/relay_session.hpp"
#include "services/nip11_document.hpp"

namespace brotr::services {

inline constexpr std::uint16_t kRelayDiscoveryKind = 30166;
inline constexpr std::uint16_t kMonitorAnnouncementKind = 10166;

// Unsigned (pubkey, id and sig unset).
Event make_relay_discovery_event(const RelayUrl& relay, const Nip66& nip66, const Nip11Document* nip11,
                                 std::int64_t created_at);

struct MonitorAnnouncement {
    std::int64_t frequency_seconds = 3600;
    std::int64_t timeout_ms = 30'000;  // each check
    bool write_check = false;          // whether the write test runs (keys configured)
};
Event make_monitor_announcement(const MonitorAnnouncement& announcement, std::int64_t created_at);

struct PublishSummary {
    std::size_t relays = 0;            // publish relays tried
    std::size_t relays_connected = 0;
    std::size_t accepted = 0;          // OK true, summed over relays
    std::size_t rejected = 0;          // OK false
    std::size_t failed = 0;            // no OK (timeout, disconnection, no connection)
    std::vector<std::string> errors;   // one line per relay that could not be reached
};

struct PublishOptions {
    net::SessionOptions session{};
    std::chrono::milliseconds timeout{30'000};  // connecting, and each EVENT to its OK
    std::size_t in_flight = 16;                 // EVENTs awaiting their OK at once, per relay
};

// Sends every event to every relay (relays in parallel). Never throws for
// network failures: they are counted.
boost::asio::awaitable<PublishSummary> publish_events(boost::asio::any_io_executor executor,
                                                      const std::vector<RelayUrl>& relays,
                                                      const std::vector<Event>& events, PublishOptions options);

}  // namespace brotr::services
