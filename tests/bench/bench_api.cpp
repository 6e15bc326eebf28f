// The HTTP API under load: wrk (Debian's package) against brotr's server on
// loopback, over a generated store of 1M events, at 1, 16 and 100 keep-alive
// connections, for three requests:
//   /v1/events?kinds=1&limit=100   a 100-event page
//   /v1/events/{id}                one event with its relays (ids rotate over 10,000)
//   /v1/stats?limit=10             the statistics views
// Baselines measured in the same run, in this process: the same route called
// as a function (Routes::handle: the query and its JSON, no HTTP), and the
// bare store call. Printed: req/s, p50 and p99 latency, and the server's CPU
// per request against the in-process call's, which is what the HTTP layer
// costs (wrk runs on the same two cores, so req/s alone would charge the
// server for the load generator).
//
// The store is generated once (about a minute on 2 cores) and kept next to
// this program as bench_api_store_1m/.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "api/event_pages.hpp"
#include "api/http_server.hpp"
#include "api/routes.hpp"
#include "brotr/hex.hpp"
#include "brotr/store.hpp"
#include "unit/test_store_fixtures.hpp"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::size_t kEvents = 1'000'000;
constexpr std::size_t kIdsForLookups = 10'000;
constexpr int kWrkSeconds = 5;

fs::path program_dir() { return fs::canonical("/proc/self/exe").parent_path(); }

double process_cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

const brotr::RelayUrl kRelay = *brotr::RelayUrl::parse("wss://relay.example.com");

// The cached store and the ids of some of its events.
fs::path build_store(std::vector<std::string>& ids) {
    const fs::path dir = program_dir() / "bench_api_store_1m";
    const fs::path ids_file = dir.string() + ".ids";
    if (fs::exists(ids_file)) {
        std::ifstream in(ids_file);
        for (std::string id; std::getline(in, id);) ids.push_back(id);
        return dir;
    }
    fs::remove_all(dir);
    std::fprintf(stderr, "generating and storing %zu signed events into %s ...\n", kEvents, dir.c_str());
    brotr::Store store = brotr::Store::init(dir.string(), brotr::StoreVariant::bigbrotr);
    const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
    constexpr std::size_t kBatch = 20'000;
    std::vector<brotr::test::EventGenerator> gens;
    for (unsigned t = 0; t < threads; ++t) gens.emplace_back(7000 + t, 4000);
    for (std::size_t done = 0; done < kEvents; done += kBatch) {
        std::vector<std::vector<brotr::Event>> parts(threads);
        std::vector<std::thread> workers;
        for (unsigned t = 0; t < threads; ++t)
            workers.emplace_back([&, t] { parts[t] = gens[t].batch(kBatch / threads); });
        for (auto& w : workers) w.join();
        std::vector<brotr::EventWithRelay> items;
        for (auto& part : parts)
            for (auto& e : part) {
                if (ids.size() < kIdsForLookups && items.size() % 7 == 0) ids.push_back(brotr::to_hex(e.id));
                items.push_back({std::move(e), &kRelay, 1'700'000'000, true});
            }
        store.insert_events(items, {.verify = false, .sync = false});
    }
    store.compact();
    std::ofstream out(ids_file);
    for (const auto& id : ids) out << id << '\n';
    return dir;
}

struct InProcess {
    double us_per_call = 0;
};

template <typename F>
InProcess time_calls(F f) {
    // Enough calls for a second of work, after a warm-up.
    for (int i = 0; i < 20; ++i) f(i);
    const auto start = Clock::now();
    int n = 0;
    while (Clock::now() - start < std::chrono::seconds(1)) f(n++);
    const double us = std::chrono::duration<double, std::micro>(Clock::now() - start).count();
    return {us / n};
}

struct WrkResult {
    double requests_per_second = 0;
    double p50_ms = 0, p99_ms = 0;
    double requests = 0;
    double server_cpu_us_per_request = 0;
    bool ok = false;
};

double to_ms(double value, const std::string& unit) {
    if (unit == "us") return value / 1000;
    if (unit == "s") return value * 1000;
    return value;  // ms
}

// Runs wrk with a Lua script choosing the request path, while this process serves it.
WrkResult run_wrk(std::uint16_t port, int connections, const fs::path& script) {
    const std::string command = "wrk -t1 -c" + std::to_string(connections) + " -d" + std::to_string(kWrkSeconds) +
                                "s --latency -s " + script.string() + " http://127.0.0.1:" + std::to_string(port) +
                                " 2>&1";
    const double cpu0 = process_cpu_seconds();
    FILE* pipe = ::popen(command.c_str(), "r");
    WrkResult r;
    if (!pipe) return r;
    std::string output;
    char buf[4096];
    while (std::fgets(buf, sizeof buf, pipe)) output += buf;
    const int status = ::pclose(pipe);
    const double cpu = process_cpu_seconds() - cpu0;
    std::smatch m;
    if (std::regex_search(output, m, std::regex(R"(Requests/sec:\s+([0-9.]+))"))) r.requests_per_second = std::stod(m[1]);
    if (std::regex_search(output, m, std::regex(R"(\s50%\s+([0-9.]+)(us|ms|s))"))) r.p50_ms = to_ms(std::stod(m[1]), m[2]);
    if (std::regex_search(output, m, std::regex(R"(\s99%\s+([0-9.]+)(us|ms|s))"))) r.p99_ms = to_ms(std::stod(m[1]), m[2]);
    if (std::regex_search(output, m, std::regex(R"(([0-9]+) requests in)"))) r.requests = std::stod(m[1]);
    const bool errors = output.find("Non-2xx") != std::string::npos || output.find("Socket errors") != std::string::npos;
    if (errors) std::fprintf(stderr, "wrk reported errors:\n%s\n", output.c_str());
    r.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0 && r.requests > 0 && !errors;
    if (r.requests > 0) r.server_cpu_us_per_request = cpu * 1e6 / r.requests;
    return r;
}

fs::path write_script(const fs::path& dir, const std::string& name, const std::vector<std::string>& paths) {
    const fs::path file = dir / (name + ".lua");
    std::ofstream out(file);
    out << "local paths = {\n";
    for (const auto& p : paths) out << "  \"" << p << "\",\n";
    out << "}\nlocal i = 0\nrequest = function()\n  i = i % #paths + 1\n"
           "  return wrk.format(\"GET\", paths[i])\nend\n";
    return file;
}

}  // namespace

int main() {
    if (std::system("command -v wrk >/dev/null 2>&1") != 0) {
        std::fprintf(stderr, "bench_api: wrk is not installed (apt-get install wrk; `make bench` installs it)\n");
        return 2;
    }
    std::vector<std::string> ids;
    const fs::path dir = build_store(ids);
    brotr::StoreOptions options;
    options.mode = brotr::OpenMode::read_only;
    brotr::Store store = brotr::Store::open(dir.string(), options);
    const brotr::api::RouteOptions route_options;
    brotr::api::Routes routes(store, route_options);
    std::printf("bench_api: %llu events, %zu ids for lookups, wrk -t1, %d s per run, server on 2 io threads\n",
                static_cast<unsigned long long>(store.summary().events), ids.size(), kWrkSeconds);

    struct Case {
        std::string name;
        std::vector<std::string> paths;
        std::function<void(int)> bare;  // the store call alone
    };
    std::vector<std::string> id_paths;
    for (const auto& id : ids) id_paths.push_back("/v1/events/" + id);
    std::vector<brotr::Bytes32> id_bytes;
    for (const auto& id : ids) id_bytes.push_back(*brotr::parse_hex_array<32>(id));
    std::vector<Case> cases = {
        {"events page (kinds=1, limit=100)", {"/v1/events?kinds=1&limit=100"},
         [&](int) {
             brotr::Filter f;
             f.kinds = std::vector<std::uint16_t>{1};
             brotr::api::query_event_page(store, f, std::nullopt, 100, route_options.scan_budget);
         }},
        {"one event by id", id_paths,
         [&](int i) {
             const auto& id = id_bytes[static_cast<std::size_t>(i) % id_bytes.size()];
             store.get_event(id);
             store.event_relays(id);
         }},
        {"stats (limit=10)", {"/v1/stats?limit=10"},
         [&](int) {
             store.events_statistics(1'800'000'000);
             store.relays_statistics();
             store.kind_counts_total();
         }},
    };

    boost::asio::io_context io;
    brotr::api::HttpServerOptions server_options;
    server_options.port = 0;
    brotr::api::HttpServer server(io, server_options, [&](const brotr::api::HttpRequest& r) { return routes.handle(r); });
    server.start();
    auto work = boost::asio::make_work_guard(io);
    std::vector<std::thread> io_threads;
    for (int i = 0; i < 2; ++i) io_threads.emplace_back([&] { io.run(); });

    const fs::path scripts = program_dir();
    bool all_ok = true;
    for (std::size_t c = 0; c < cases.size(); ++c) {
        Case& k = cases[c];
        const InProcess bare = time_calls(k.bare);
        const InProcess routed = time_calls([&](int i) {
            routes.handle({"GET", k.paths[static_cast<std::size_t>(i) % k.paths.size()]});
        });
        std::printf("\n%s\n", k.name.c_str());
        std::printf("  in process: store call %.1f us, route (query + JSON) %.1f us = %.0f req/s on one core\n",
                    bare.us_per_call, routed.us_per_call, 1e6 / routed.us_per_call);
        const fs::path script = write_script(scripts, "bench_api_case" + std::to_string(c), k.paths);
        for (int connections : {1, 16, 100}) {
            const WrkResult w = run_wrk(server.port(), connections, script);
            all_ok = all_ok && w.ok;
            std::printf(
                "  http, %3d connections: %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  server CPU %.1f us/req = %.2fx the "
                "in-process route%s\n",
                connections, w.requests_per_second, w.p50_ms, w.p99_ms, w.server_cpu_us_per_request,
                w.server_cpu_us_per_request / routed.us_per_call, w.ok ? "" : "  (wrk failed)");
        }
    }
    server.stop();
    work.reset();
    for (auto& t : io_threads) t.join();
    return all_ok ? 0 : 1;
}
