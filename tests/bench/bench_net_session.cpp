// What a relay session costs on top of parsing and verifying events, and
// how much memory many open sessions take.
//
// In one run, on the same N signed events:
//   baseline  parse_and_check_event() over the EVENT frames' event objects in
//             a loop on this thread (no network, no session);
//   session   RelaySession::query() pulling the same N events from a fake
//             relay on loopback (a child process sending prebuilt frames),
//             with verification on and off.
// Reported: events/s of each and session/baseline ratios (1.0 would mean the
// WebSocket, the envelope parsing and the dispatch cost nothing).
// Then: peak RSS of this process with 200 sessions open at once, each having
// pulled 500 events. Goal (issue 4): under 200 MB.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <csignal>
#include <optional>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "brotr/event.hpp"
#include "net/relay_session.hpp"
#include "support/fake_relay.hpp"

namespace asio = boost::asio;
namespace net = brotr::net;
namespace test = brotr::test;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::size_t kEvents = 20'000;
constexpr std::size_t kSessions = 200;
constexpr std::size_t kEventsPerSession = 500;

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

long rss_kib(const char* field) {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(field, 0) == 0) return std::stol(line.substr(std::string(field).size()));
    }
    return -1;
}

// The fake relays, in a child process so their memory is not counted here:
// every REQ is answered with the first `limit` prebuilt events and EOSE.
pid_t start_fake_relays(const std::vector<std::string>& events_json, std::uint16_t& port) {
    int to_parent[2];
    if (::pipe(to_parent) != 0) std::exit(1);
    pid_t pid = ::fork();
    if (pid == 0) {
        ::close(to_parent[0]);
        test::FakeServer server([&](test::FakePeer& peer) {
            peer.accept_websocket();
            while (auto message = peer.read_message()) {
                std::string sub = test::req_subscription_id(*message);
                if (sub.empty()) continue;
                std::size_t n = std::min(events_json.size(), test::req_limit(*message).value_or(events_json.size()));
                const std::string head = "[\"EVENT\",\"" + sub + "\",";
                for (std::size_t i = 0; i < n; ++i) peer.send_text(head + events_json[i] + "]");
                peer.send_text("[\"EOSE\",\"" + sub + "\"]");
            }
        });
        std::uint16_t p = server.port();
        if (::write(to_parent[1], &p, sizeof p) != sizeof p) std::_Exit(1);
        // Serve until the parent goes away (getppid changes to the reaper).
        const pid_t parent = ::getppid();
        while (::getppid() == parent) std::this_thread::sleep_for(std::chrono::milliseconds(100));
        std::_Exit(0);
    }
    ::close(to_parent[1]);
    if (::read(to_parent[0], &port, sizeof port) != sizeof port) std::exit(1);
    ::close(to_parent[0]);
    return pid;
}

net::SessionOptions options(bool verify) {
    net::SessionOptions o;
    o.websocket.connect.address_policy = brotr::AddressPolicy{.allow_loopback = true};
    o.request_timeout = std::chrono::seconds(120);
    o.verify_events = verify;
    o.max_events_per_query = kEvents;
    return o;
}

double session_rate(const brotr::RelayUrl& url, bool verify) {
    double best = 0;
    for (int round = 0; round < 3; ++round) {
        auto start = Clock::now();
        auto result = test::run_async<net::QueryResult>([&](asio::any_io_executor ex) -> asio::awaitable<net::QueryResult> {
            auto session = co_await net::RelaySession::connect(ex, url, options(verify));
            co_return co_await session.query(brotr::Filter{.limit = kEvents});
        });
        double secs = seconds_since(start);
        if (result.events.size() != kEvents) {
            std::printf("session query returned %zu events (%s), expected %zu\n", result.events.size(),
                        std::string(net::to_string(result.end)).c_str(), kEvents);
            std::exit(1);
        }
        best = std::max(best, static_cast<double>(kEvents) / secs);
    }
    return best;
}

}  // namespace

int main() {
    std::vector<std::string> events_json;
    events_json.reserve(kEvents);
    for (std::size_t i = 0; i < kEvents; ++i) {
        auto e = test::make_signed_event(static_cast<std::uint8_t>(1 + i % 7), 1700000000 + static_cast<std::int64_t>(i),
                                         1, "benchmark note number " + std::to_string(i) + " with some text",
                                         {{"t", "bench"}, {"e", std::string(64, 'a')}});
        events_json.push_back(brotr::to_json(e));
    }
    std::uint16_t port = 0;
    pid_t child = start_fake_relays(events_json, port);
    const auto url = *brotr::RelayUrl::parse("ws://127.0.0.1:" + std::to_string(port));

    double baseline = 0;
    for (int round = 0; round < 3; ++round) {
        auto start = Clock::now();
        std::size_t ok = 0;
        for (const auto& json : events_json) ok += brotr::parse_and_check_event(json).event ? 1 : 0;
        if (ok != kEvents) return 1;
        baseline = std::max(baseline, static_cast<double>(kEvents) / seconds_since(start));
    }
    const double verified = session_rate(url, true);
    const double unverified = session_rate(url, false);
    std::printf("events: %zu per query, best of 3 rounds\n", kEvents);
    std::printf("baseline parse_and_check_event: %10.0f events/s\n", baseline);
    std::printf("session query, verify on:       %10.0f events/s  ratio %.2f of baseline\n", verified,
                verified / baseline);
    std::printf("session query, verify off:      %10.0f events/s  ratio %.2f of baseline\n", unverified,
                unverified / baseline);

    // Peak RSS from here on: writing 5 to clear_refs resets VmHWM (Linux).
    { std::ofstream("/proc/self/clear_refs") << "5"; }
    const long before = rss_kib("VmRSS:");
    std::size_t total_events = 0;
    std::size_t peak_open = 0;
    {
        asio::io_context io;
        std::vector<std::optional<net::RelaySession>> sessions(kSessions);
        std::size_t finished = 0;
        for (std::size_t i = 0; i < kSessions; ++i) {
            asio::co_spawn(io, [&, i]() -> asio::awaitable<void> {
                auto ex = co_await asio::this_coro::executor;
                sessions[i].emplace(co_await net::RelaySession::connect(ex, url, options(true)));
                auto r = co_await sessions[i]->query(brotr::Filter{.limit = kEventsPerSession});
                total_events += r.events.size();
                ++finished;
                // Every session stays open until all have pulled their events.
                if (finished == kSessions) {
                    for (auto& s : sessions) peak_open += s && s->connected() ? 1 : 0;
                    for (auto& s : sessions) s.reset();
                }
            }, asio::detached);
        }
        io.run();
    }
    const long peak = rss_kib("VmHWM:");
    std::printf("%zu sessions open at once, %zu events pulled: peak RSS %.1f MB (%.1f MB before them, "
                "%.0f KiB per session)\n",
                peak_open, total_events, static_cast<double>(peak) / 1024.0, static_cast<double>(before) / 1024.0,
                static_cast<double>(peak - before) / static_cast<double>(kSessions));

    ::kill(child, SIGTERM);
    ::waitpid(child, nullptr, 0);
    return total_events == kSessions * kEventsPerSession && peak_open == kSessions ? 0 : 1;
}
