// The NIP-66 liveness tests of one relay, over one NIP-01 session:
//   open:  the WebSocket connects         -> openable, rtt_open (connect time)
//   read:  REQ {"limit":1} gets EVENT/EOSE -> readable, rtt_read (REQ to first reply)
//   write: a signed kind-30166 test event  -> writable, rtt_write (EVENT to OK true)
// Round-trip times are milliseconds, rounded up (a measured time is never 0).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "brotr/event.hpp"
#include "brotr/keys.hpp"
#include "brotr/relay_url.hpp"
#include "net/relay_session.hpp"

namespace boost::asio {
class thread_pool;
}

namespace brotr::services {

using ProbeClock = std::chrono::steady_clock;

struct ProbeTiming {
    std::chrono::milliseconds timeout{30'000};  // each step
    // No step runs past it: each step's timeout is cut to what is left.
    ProbeClock::time_point deadline = ProbeClock::time_point::max();

    // The timeout of the next step (at least 1 ms), or nullopt when the deadline passed.
    std::optional<std::chrono::milliseconds> next_step() const;
};

std::int32_t rtt_milliseconds(std::chrono::microseconds elapsed);

struct OpenOutcome {
    std::optional<net::RelaySession> session;  // set when openable
    std::optional<std::int32_t> rtt_open;
    std::string error;
    // Refused before any traffic (SSRF rule, Tor disabled, invalid URL):
    // the relay was not tested at all.
    bool refused_locally = false;
};

// `options.websocket.connect` carries the SSRF policy and SOCKS5 settings;
// its timeouts are replaced by the step timeout.
boost::asio::awaitable<OpenOutcome> open_test(boost::asio::any_io_executor executor, const RelayUrl& relay,
                                              net::SessionOptions options, const ProbeTiming& timing);

struct ReadOutcome {
    bool readable = false;
    std::optional<std::int32_t> rtt_read;
    std::string detail;  // how the query ended
};

boost::asio::awaitable<ReadOutcome> read_test(net::RelaySession& session, const ProbeTiming& timing);

struct WriteOutcome {
    bool writable = false;
    std::optional<std::int32_t> rtt_write;
    std::string detail;             // the relay's OK message, or why there was none
    std::optional<Event> event;     // the test event, when one was signed
};

// Stops every proof-of-work search under way, e.g. when the monitor shuts
// down while its timers no longer run (a relay may ask for any difficulty).
class MiningCancellation {
public:
    // Registers a search's cancel flag; sets it at once after stop_all().
    void add(const std::shared_ptr<std::atomic<bool>>& flag);
    void stop_all();

private:
    std::mutex mutex_;
    bool stopped_ = false;
    std::vector<std::weak_ptr<std::atomic<bool>>> flags_;
};

struct WriteTestSigning {
    SecretKey secret{};
    int pow_difficulty = 0;  // NIP-13 bits (0: none)
    // Where proof-of-work mining runs, so it never stalls network I/O nor
    // the deadline timer; required when pow_difficulty > 0.
    boost::asio::thread_pool* mining_pool = nullptr;
    std::shared_ptr<MiningCancellation> cancellation{};
};

// The test event: kind 30166, tags [["d", <relay url>]], content "{}".
Event make_write_test_event(const RelayUrl& relay, std::int64_t created_at);

boost::asio::awaitable<WriteOutcome> write_test(net::RelaySession& session, const RelayUrl& relay,
                                                const WriteTestSigning& signing, const ProbeTiming& timing);

}  // namespace brotr::services
