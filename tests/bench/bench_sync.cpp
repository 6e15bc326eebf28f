// The synchronizer against the baseline client, in one run on the same relay.
//
// Part 1, one loaded relay (tests/peers/relay.mjs, the third-party
// @nostr-relay packages) holding N events (BENCH_SYNC_EVENTS, default 50,000;
// 5 share each second):
//   brotr     `brotr synchronizer --once` as a child process: events/s over
//             its wall time and its peak RSS; the cycle line's relay_seconds
//             (waiting for answers) and store_seconds (dedup, id and
//             signature checks, write) say where its time went;
//   baseline  tests/peers/baseline-client.mjs: nostr-tools' Relay with
//             standard `until` pagination, verifying every event (and once
//             more without verifying, which is what relay and network alone
//             allow a sequential client);
// plus the stage capacities on this machine, measured here on the same events:
// parse (JSON to event), verify (id hash + Schnorr, one core), store
// (insert_events of checked events). The bottleneck named is the stage with the
// lowest rate among relay, parse, verify and store.
//
// Part 2: peak RSS of `brotr synchronizer --once` holding 200 relay sessions
// at once (in-process fake relays answering slowly so that all sessions
// overlap). Goal < 200 MB.
//
// Needs node and tests/peers/node_modules; prints a skip line otherwise.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>
#include <memory>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "brotr/event.hpp"
#include "brotr/store.hpp"
#include "support/fake_relay.hpp"
#include "support/relay_peer.hpp"
#include "support/test_env.hpp"

namespace fs = std::filesystem;
using namespace brotr;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

struct ChildRun {
    int exit_code = -1;
    double seconds = 0;
    long max_rss_kb = 0;
    std::string output;  // stdout and stderr
};

// Runs argv with stdout+stderr into a file; wall time and peak RSS from wait4.
ChildRun run_child(const std::vector<std::string>& argv, const fs::path& log, const std::vector<std::string>& env = {}) {
    test::write_file(log, "");
    const auto started = Clock::now();
    pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        int fd = ::open(log.c_str(), O_WRONLY | O_APPEND);
        if (fd < 0) _exit(126);
        ::dup2(fd, 1);
        ::dup2(fd, 2);
        for (const auto& kv : env) ::putenv(const_cast<char*>(kv.c_str()));
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        ::execvp(args[0], args.data());
        _exit(127);
    }
    int status = 0;
    rusage usage{};
    ::wait4(pid, &status, 0, &usage);
    ChildRun r;
    r.seconds = seconds_since(started);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.max_rss_kb = usage.ru_maxrss;
    r.output = test::read_file(log);
    return r;
}

// key=value fields of the first line containing `marker`.
std::map<std::string, std::string> fields_of(const std::string& text, const std::string& marker) {
    std::map<std::string, std::string> out;
    auto at = text.find(marker);
    if (at == std::string::npos) return out;
    auto end = text.find('\n', at);
    const std::string line = text.substr(at, end == std::string::npos ? std::string::npos : end - at);
    static const std::regex kv(R"(([a-z_]+)=([^ ]+))");
    for (auto it = std::sregex_iterator(line.begin(), line.end(), kv); it != std::sregex_iterator(); ++it)
        out[(*it)[1]] = (*it)[2];
    return out;
}

double number(const std::map<std::string, std::string>& f, const std::string& key) {
    auto it = f.find(key);
    return it == f.end() ? 0 : std::stod(it->second);
}

// An implementation directory syncing `relays` (as overrides) into its own store.
fs::path write_config(const fs::path& root, const std::vector<std::string>& relays, unsigned max_parallel,
                      unsigned max_processes, std::uint32_t limit) {
    fs::create_directories(root / "services");
    test::write_file(root / "brotr.yaml", "store:\n  path: store\nnetwork:\n  allow_loopback: true\n");
    std::string sync = "tor:\n  enabled: false\nfilter:\n  limit: " + std::to_string(limit) +
                       "\ntime_range:\n  lookback_seconds: 3600\nconcurrency:\n  max_parallel: " +
                       std::to_string(max_parallel) + "\n  max_processes: " + std::to_string(max_processes) +
                       "\n  stagger_delay: [0, 0]\noverrides:\n";
    for (const auto& r : relays) sync += "  - url: " + r + "\n";
    test::write_file(root / "services" / "synchronizer.yaml", sync);
    return root;
}

// ---- stage capacities on the benchmark's own events ----

struct Capacities {
    double parse = 0, verify = 0, store = 0;  // events per second
};

Capacities measure_stages(const fs::path& jsonl, const fs::path& scratch) {
    const auto lines = test::read_lines(jsonl);
    Capacities c;
    std::vector<Event> events;
    events.reserve(lines.size());
    auto t = Clock::now();
    for (const auto& line : lines) events.push_back(*parse_event(line).event);
    c.parse = static_cast<double>(lines.size()) / seconds_since(t);

    t = Clock::now();
    std::size_t ok = 0;
    for (const auto& e : events) ok += check_event(e) == EventError::ok;
    c.verify = static_cast<double>(events.size()) / seconds_since(t);
    if (ok != events.size()) std::printf("warning: %zu events failed verification\n", events.size() - ok);

    Store store = Store::init((scratch / "stage-store").string(), StoreVariant::bigbrotr);
    const RelayUrl relay = *RelayUrl::parse("ws://127.0.0.1:1");
    t = Clock::now();
    for (std::size_t i = 0; i < events.size(); i += 500) {
        std::vector<EventWithRelay> batch;
        for (std::size_t j = i; j < std::min(events.size(), i + 500); ++j)
            batch.push_back({events[j], &relay, 1'700'000'000, true});
        store.insert_events(batch, {.verify = false, .sync = false});
    }
    c.store = static_cast<double>(events.size()) / seconds_since(t);
    return c;
}

void part_one(std::size_t n) {
    test::TempDir dir;
    std::printf("generating %zu signed events (nostr-tools)...\n", n);
    std::fflush(stdout);
    auto t = Clock::now();
    test::generate_events({.count = n, .start = 1'700'000'000, .per_second = 5}, dir / "events.jsonl");
    std::printf("  generated in %.1f s\n", seconds_since(t));
    t = Clock::now();
    test::RelayPeer relay({.load_jsonl = dir / "events.jsonl"});
    std::printf("  relay loaded in %.1f s at %s\n", seconds_since(t), relay.url().c_str());
    std::fflush(stdout);

    const std::string node = "node";
    const std::string script = (*test::peers_dir() / "baseline-client.mjs").string();
    auto baseline = [&](bool verify, const char* name) {
        std::vector<std::string> argv{node, script, "--url", relay.url(), "--limit", "500"};
        if (!verify) argv.push_back("--no-verify");
        auto r = run_child(argv, dir / (std::string(name) + ".log"));
        auto f = fields_of(r.output, "baseline ");
        if (r.exit_code != 0 || f.empty()) throw std::runtime_error("baseline client failed: " + r.output);
        return f;
    };

    baseline(false, "warm-up");  // the relay's sqlite pages in memory for everyone after
    write_config(dir / "impl", {relay.url()}, 10, 2, 500);
    auto brotr = run_child({test::brotr_bin().string(), "synchronizer", "--once", "--config", (dir / "impl").string()},
                           dir / "brotr.log");
    auto cycle = fields_of(brotr.output, "synchronizer: cycle_completed");
    if (brotr.exit_code != 0 || cycle.empty()) throw std::runtime_error("brotr failed: " + brotr.output);
    auto verified = baseline(true, "baseline");
    auto unverified = baseline(false, "baseline-no-verify");

    const double brotr_events = number(cycle, "synced_events");
    const double brotr_rate = brotr_events / brotr.seconds;
    const double base_rate = number(verified, "rate");
    const double relay_rate = number(unverified, "rate");
    std::printf("\n== one relay, %zu events, limit 500\n", n);
    std::printf("brotr      events=%.0f seconds=%.2f rate=%.0f/s peak_rss=%.1f MB requests=%.0f relay_seconds=%s "
                "store_seconds=%s\n",
                brotr_events, brotr.seconds, brotr_rate, brotr.max_rss_kb / 1024.0, number(cycle, "requests"),
                cycle["relay_seconds"].c_str(), cycle["store_seconds"].c_str());
    std::printf("baseline   events=%.0f seconds=%s rate=%.0f/s peak_rss=%.1f MB requests=%.0f (nostr-tools, verifying)\n",
                number(verified, "events"), verified["seconds"].c_str(), base_rate,
                number(verified, "max_rss_kb") / 1024.0, number(verified, "requests"));
    std::printf("relay only events=%.0f seconds=%s rate=%.0f/s (the same client without verifying)\n",
                number(unverified, "events"), unverified["seconds"].c_str(), relay_rate);
    std::printf("ratio brotr/baseline = %.2fx\n", base_rate > 0 ? brotr_rate / base_rate : 0.0);

    // Where brotr's time goes, and the capacity of each stage here.
    auto caps = measure_stages(dir / "events.jsonl", dir.path());
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    const double relay_seconds = number(cycle, "relay_seconds");
    const double brotr_relay_rate = relay_seconds > 0 ? brotr_events / relay_seconds : 0;
    std::printf("\nstages (events/s): relay %.0f (brotr's wait for answers), parse %.0f (1 core), verify %.0f "
                "(1 core; %u cores: %.0f), store %.0f (1 writer)\n",
                brotr_relay_rate, caps.parse, caps.verify, cores, caps.verify * cores, caps.store);
    std::map<double, std::string> by_rate{{brotr_relay_rate, "relay"},
                                         {caps.parse, "parse"},
                                         {caps.verify * cores, "verify"},
                                         {caps.store, "store"}};
    std::printf("bottleneck: %s (lowest capacity; network is loopback)\n", by_rate.begin()->second.c_str());
    std::fflush(stdout);
}

// ---- part 2: 200 sessions at once ----

// A fake relay serving its own events newest first, capped at the limit,
// slowly, so that every session stays open while the others run.
class SlowRelay {
public:
    SlowRelay(std::vector<Event> events, std::chrono::milliseconds delay)
        : events_(std::move(events)), delay_(delay), server_([this](test::FakePeer& p) { serve(p); }) {}
    std::string url() const { return server_.ws_url(); }

private:
    void serve(test::FakePeer& peer) {
        peer.accept_websocket(false);
        while (auto message = peer.read_message()) {
            auto j = nlohmann::json::parse(*message, nullptr, false);
            if (!j.is_array() || j.size() < 3 || j[0] != "REQ") continue;
            const std::string sub = j[1].get<std::string>();
            const std::int64_t since = j[2].value("since", std::int64_t{0});
            const std::int64_t until = j[2].value("until", std::int64_t{1} << 40);
            const std::size_t limit = j[2].value("limit", std::size_t{500});
            std::this_thread::sleep_for(delay_);
            std::size_t sent = 0;
            for (const auto& e : events_) {  // newest first
                if (sent >= limit) break;
                if (e.created_at < since || e.created_at > until) continue;
                peer.send_text(test::event_frame(sub, e));
                ++sent;
            }
            peer.send_text(R"(["EOSE",")" + sub + "\"]");
        }
    }
    std::vector<Event> events_;
    std::chrono::milliseconds delay_;
    test::FakeServer server_;
};

void part_two(std::size_t relays, std::size_t per_relay) {
    test::TempDir dir;
    std::printf("\n== %zu relay sessions at once (fake relays, %zu events each, limit 50, 100 ms per answer)\n",
                relays, per_relay);
    std::fflush(stdout);
    std::vector<std::unique_ptr<SlowRelay>> fakes;
    std::vector<std::string> urls;
    for (std::size_t r = 0; r < relays; ++r) {
        std::vector<Event> events;
        for (std::size_t i = 0; i < per_relay; ++i)
            events.push_back(test::make_signed_event(static_cast<std::uint8_t>(r % 250 + 1),
                                                     1'700'000'000 + static_cast<std::int64_t>(per_relay - i) * 3,
                                                     1, "relay " + std::to_string(r) + " event " + std::to_string(i)));
        fakes.push_back(std::make_unique<SlowRelay>(std::move(events), std::chrono::milliseconds(100)));
        urls.push_back(fakes.back()->url());
    }
    write_config(dir / "impl", urls, 100, 2, 50);
    auto brotr = run_child({test::brotr_bin().string(), "synchronizer", "--once", "--config", (dir / "impl").string()},
                           dir / "brotr.log");
    auto cycle = fields_of(brotr.output, "synchronizer: cycle_completed");
    if (brotr.exit_code != 0 || cycle.empty()) throw std::runtime_error("brotr failed: " + brotr.output);
    std::printf("brotr      synced_relays=%s failed_relays=%s events=%s seconds=%.2f peak_rss=%.1f MB (goal < 200 MB)\n",
                cycle["synced_relays"].c_str(), cycle["failed_relays"].c_str(), cycle["synced_events"].c_str(),
                brotr.seconds, brotr.max_rss_kb / 1024.0);
    std::fflush(stdout);
}

}  // namespace

int main() {
    if (!test::RelayPeer::available()) {
        std::printf("bench_sync: skipped (node or tests/peers/node_modules missing)\n");
        return 0;
    }
    std::size_t n = 50'000;
    if (const char* v = std::getenv("BENCH_SYNC_EVENTS")) n = std::strtoull(v, nullptr, 10);
    try {
        part_one(n);
        part_two(200, 400);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_sync: %s\n", e.what());
        return 1;
    }
    return 0;
}
