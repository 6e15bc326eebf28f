// A monitor cycle over 1,000 fake relays on loopback: relays checked per
// second and peak RSS, then the same with 10% (and 20%) of the relays
// stalling -- accepting connections and never answering -- to show that the
// cycle length is bounded by the per-relay budget (twice the timeout), not
// by the number of stalled relays, as long as max_parallel covers them.
//
// The fake relays run in a child process (one thread, asio coroutines):
// port A answers NIP-11 GETs, completes WebSocket upgrades, answers REQ
// with EOSE and EVENT with OK true; port B accepts and stays silent. Each
// scenario runs in its own child process too, so its peak RSS is its own
// (ru_maxrss of a monitor with a real RocksDB store, no relay code in it).
// Baseline, same run: the same healthy relays checked one at a time
// (max_parallel 1).
//
// Besides wall time the CPU time of the monitor process is printed per relay,
// the steadier figure on a machine shared with other work.
//
//   bench_monitor [relays=1000] [timeout_ms=2000]     (BENCH_DEBUG=1: per-relay log lines)
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "brotr/log.hpp"
#include "brotr/store.hpp"
#include "runtime/shutdown.hpp"
#include "services/monitor.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;
using namespace std::chrono_literals;

// GCC 12 false positive on asio's recycled coroutine frames (see monitor.cpp).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

const std::string kNip11 =
    R"({"name":"bench relay","software":"bench","version":"1","supported_nips":[1,11],"limitation":{"max_limit":500}})";

// ["REQ","<sub>",...] -> sub; ["EVENT",{..."id":"<64 hex>"...}] -> id.
std::string quoted_after(const std::string& text, const std::string& marker) {
    auto at = text.find(marker);
    if (at == std::string::npos) return {};
    at += marker.size();
    auto end = text.find('"', at);
    return end == std::string::npos ? std::string() : text.substr(at, end - at);
}

asio::awaitable<void> serve_relay(tcp::socket socket) {
    beast::flat_buffer buffer;
    http::request<http::string_body> request;
    if (auto [ec, n] = co_await http::async_read(socket, buffer, request, kTuple); ec) co_return;
    if (!beast::websocket::is_upgrade(request)) {
        http::response<http::string_body> response{http::status::ok, 11};
        response.set(http::field::content_type, "application/nostr+json");
        response.body() = kNip11;
        response.prepare_payload();
        co_await http::async_write(socket, response, kTuple);
        co_return;
    }
    beast::websocket::stream<tcp::socket> ws(std::move(socket));
    if (auto [ec] = co_await ws.async_accept(request, kTuple); ec) co_return;
    for (;;) {
        beast::flat_buffer frame;
        if (auto [ec, n] = co_await ws.async_read(frame, kTuple); ec) co_return;
        const std::string text = beast::buffers_to_string(frame.data());
        std::string reply;
        if (text.starts_with("[\"REQ\"")) reply = "[\"EOSE\",\"" + quoted_after(text, "[\"REQ\",\"") + "\"]";
        else if (text.starts_with("[\"EVENT\"")) reply = "[\"OK\",\"" + quoted_after(text, "\"id\":\"") + "\",true,\"\"]";
        else continue;
        if (auto [ec, n] = co_await ws.async_write(asio::buffer(reply), kTuple); ec) co_return;
    }
}

// Accepts and never answers; the connection ends when the client gives up.
asio::awaitable<void> serve_silence(tcp::socket socket) {
    char byte = 0;
    for (;;) {
        if (auto [ec, n] = co_await socket.async_read_some(asio::buffer(&byte, 1), kTuple); ec) co_return;
    }
}

template <class Serve>
asio::awaitable<void> accept_loop(tcp::acceptor& acceptor, Serve serve) {
    for (;;) {
        auto [ec, socket] = co_await acceptor.async_accept(kTuple);
        if (ec) continue;
        asio::co_spawn(acceptor.get_executor(), serve(std::move(socket)), asio::detached);
    }
}

struct Ports {
    std::uint16_t healthy = 0, silent = 0;
};

// Runs the fake relays in a child process; returns its pid and ports.
pid_t start_fake_relays(Ports& ports) {
    int fds[2];
    if (::pipe(fds) != 0) std::exit(1);
    pid_t pid = ::fork();
    if (pid == 0) {
        ::close(fds[0]);
        asio::io_context io;
        tcp::acceptor healthy(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
        tcp::acceptor silent(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
        healthy.listen(4096);
        silent.listen(4096);
        Ports p{healthy.local_endpoint().port(), silent.local_endpoint().port()};
        if (::write(fds[1], &p, sizeof p) != sizeof p) _exit(1);
        ::close(fds[1]);
        asio::co_spawn(io, accept_loop(healthy, serve_relay), asio::detached);
        asio::co_spawn(io, accept_loop(silent, serve_silence), asio::detached);
        io.run();
        _exit(0);
    }
    ::close(fds[1]);
    if (::read(fds[0], &ports, sizeof ports) != sizeof ports) std::exit(1);
    ::close(fds[0]);
    return pid;
}

struct Scenario {
    const char* name;
    std::size_t relays = 1000;
    std::size_t stalled = 0;
    std::uint32_t max_parallel = 50;
};

struct Result {
    double seconds = 0;
    std::size_t checked = 0, openable = 0, writable = 0, snapshots = 0;
    long peak_rss_kb = 0;
    double cpu_seconds = 0;  // user + system time of the monitor process
};

Result run_scenario(const Scenario& s, const Ports& ports, std::chrono::milliseconds timeout) {
    const std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("bench_monitor_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    Result result;
    {
        brotr::Store store = brotr::Store::init((dir / "store").string(), brotr::StoreVariant::bigbrotr);
        std::vector<brotr::RelayUrl> urls;
        for (std::size_t i = 0; i < s.relays; ++i) {
            // Stalled relays spread evenly through the list.
            const bool stall = s.stalled > 0 && i % (s.relays / s.stalled) == 0 && i / (s.relays / s.stalled) < s.stalled;
            const std::string text = "ws://127.0.0.1:" + std::to_string(stall ? ports.silent : ports.healthy) + "/r" +
                                     std::to_string(i);
            urls.push_back(*brotr::RelayUrl::parse(text));
        }
        store.insert_relays(urls, 1);

        brotr::MonitorConfig config;
        config.tor.enabled = false;
        config.concurrency.max_parallel = s.max_parallel;
        config.concurrency.batch_size = 50;
        brotr::services::MonitorOptions options;
        options.clearnet_timeout = timeout;
        brotr::services::MonitorKeys keys;
        keys.secret = brotr::generate_secret_key();
        keys.public_key = brotr::public_key(*keys.secret);
        options.keys = keys;
        brotr::services::Monitor monitor(store, config, brotr::AddressPolicy{.allow_loopback = true}, options);

        asio::io_context io;
        brotr::runtime::Shutdown shutdown;
        const auto started = std::chrono::steady_clock::now();
        asio::co_spawn(io, monitor.run_cycle(shutdown), asio::detached);
        std::vector<std::thread> threads;
        for (unsigned i = 1; i < std::max(1u, std::thread::hardware_concurrency()); ++i) {
            threads.emplace_back([&] { io.run(); });
        }
        io.run();
        for (auto& t : threads) t.join();
        result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        auto stats = monitor.last_cycle();
        result.checked = stats.checked;
        result.openable = stats.openable;
        result.writable = stats.writable;
        result.snapshots = stats.snapshots;
    }
    std::filesystem::remove_all(dir);
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    result.peak_rss_kb = usage.ru_maxrss;
    auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6; };
    result.cpu_seconds = seconds(usage.ru_utime) + seconds(usage.ru_stime);
    return result;
}

// Runs the scenario in a child process so that its peak RSS is its own.
Result run_isolated(const Scenario& s, const Ports& ports, std::chrono::milliseconds timeout) {
    int fds[2];
    if (::pipe(fds) != 0) std::exit(1);
    pid_t pid = ::fork();
    if (pid == 0) {
        ::close(fds[0]);
        Result r = run_scenario(s, ports, timeout);
        if (::write(fds[1], &r, sizeof r) != sizeof r) _exit(1);
        _exit(0);
    }
    ::close(fds[1]);
    Result r;
    const bool ok = ::read(fds[0], &r, sizeof r) == sizeof r;
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (!ok) {
        std::fprintf(stderr, "bench_monitor: scenario %s failed\n", s.name);
        std::exit(1);
    }
    return r;
}

}  // namespace

int main(int argc, char** argv) {
    const std::size_t relays = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 1000;
    const auto timeout = std::chrono::milliseconds(argc > 2 ? std::strtol(argv[2], nullptr, 10) : 2000);
    brotr::log::set_level(std::getenv("BENCH_DEBUG") ? brotr::log::Level::debug : brotr::log::Level::error);

    Ports ports;
    const pid_t relays_pid = start_fake_relays(ports);
    const double budget = 2.0 * static_cast<double>(timeout.count()) / 1000.0;

    std::printf("monitor cycle over %zu fake relays on loopback; timeout %.1f s, per-relay budget %.1f s; %u cores\n",
                relays, static_cast<double>(timeout.count()) / 1000.0, budget,
                std::max(1u, std::thread::hardware_concurrency()));
    const std::size_t sequential_relays = std::max<std::size_t>(1, relays / 5);
    const Scenario scenarios[] = {
        {"sequential baseline (max_parallel 1)", sequential_relays, 0, 1},
        {"healthy, max_parallel 50", relays, 0, 50},
        {"healthy, max_parallel 500", relays, 0, 500},
        {"10% stalled, max_parallel 50", relays, relays / 10, 50},
        {"10% stalled, max_parallel 500", relays, relays / 10, 500},
        {"20% stalled, max_parallel 500", relays, relays / 5, 500},
    };
    double baseline_rate = 0;
    for (const Scenario& s : scenarios) {
        Result r = run_isolated(s, ports, timeout);
        const double rate = static_cast<double>(r.checked) / r.seconds;
        if (baseline_rate == 0) baseline_rate = rate;
        std::printf("%-36s relays %5zu stalled %4zu: cycle %6.2f s (%.2f x budget), %7.1f relays/s (%.1f x baseline), "
                    "CPU %.2f ms/relay, openable %zu writable %zu snapshots %zu, peak RSS %.1f MiB\n",
                    s.name, s.relays, s.stalled, r.seconds, r.seconds / budget, rate, rate / baseline_rate,
                    1000.0 * r.cpu_seconds / static_cast<double>(std::max<std::size_t>(1, r.checked)), r.openable,
                    r.writable, r.snapshots, static_cast<double>(r.peak_rss_kb) / 1024.0);
        std::fflush(stdout);
    }
    ::kill(relays_pid, SIGTERM);
    ::waitpid(relays_pid, nullptr, 0);
    return 0;
}
