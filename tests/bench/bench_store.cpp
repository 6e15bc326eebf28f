// The store on 100,000 realistic signed events (tests/unit/test_store_fixtures.hpp:
// the kind mix of public relays, contact lists with hundreds of p tags, zap
// receipts, articles ...), generated once and cached next to this program.
// In one run:
//   verify    the limit: x-only pubkey parse + Schnorr verify of every event,
//             already decoded, on all cores (libsecp256k1 and nothing else);
//             also the verify alone, keys parsed beforehand, for reference
//             (brotr keeps recently parsed keys, so it can pass the limit)
//   import    JSONL -> fresh bigbrotr store with full verification, as
//             `brotr import` runs it: open, import, close (whatever closing
//             writes is part of it). Goal: >= 80% of the verify rate.
//   disk      bytes on disk after compaction / JSONL bytes.
//             Goal: <= 60% for bigbrotr; lilbrotr reported too.
//   reimport  the same file again into that store (open, import, close):
//             all duplicates.
//             Goal: >= 10x the verify rate.
//   stats     `brotr-dump stats` (a process: open as secondary, read the
//             counters) on the 100k store, and on a 10k store for comparison.
//             Goal: < 100 ms whatever the size.
// Rates are wall clock on all cores, each the median of three runs (all three
// printed); the CPU seconds per event are printed too, since other work on a
// shared machine moves wall clock more than CPU. The limit is measured four
// times, between the import runs, and each import is compared with the
// limits measured around it.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <secp256k1_extrakeys.h>
#include <secp256k1_schnorrsig.h>

#include "brotr/store.hpp"
#include "nostr/secp256k1_context.hpp"
#include "storage/jsonl_import.hpp"
#include "support/test_env.hpp"
#include "unit/test_store_fixtures.hpp"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::size_t kEvents = 100'000;
constexpr int kRuns = 3;

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

std::string joined(const std::vector<double>& v) {
    std::string out;
    for (double x : v) out += (out.empty() ? "" : " ") + std::to_string(static_cast<long long>(x + 0.5));
    return out;
}

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// CPU seconds used by this process so far (all threads).
double process_cpu() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
}

unsigned cores() { return std::max(1u, std::thread::hardware_concurrency()); }

fs::path program_dir() { return fs::canonical("/proc/self/exe").parent_path(); }

// The cached JSONL file, generated on all cores when missing.
fs::path events_file() {
    const fs::path file = program_dir() / "bench_store_events_100k.jsonl";
    if (fs::exists(file)) return file;
    std::fprintf(stderr, "generating %zu signed events into %s ...\n", kEvents, file.c_str());
    const unsigned n = cores();
    std::vector<std::string> parts(n);
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < n; ++t) {
        threads.emplace_back([&, t] {
            brotr::test::EventGenerator gen(1000 + t, 4000);
            const std::size_t count = kEvents / n + (t < kEvents % n ? 1 : 0);
            for (std::size_t i = 0; i < count; ++i) {
                brotr::append_json(gen.next(), parts[t]);
                parts[t].push_back('\n');
            }
        });
    }
    for (auto& th : threads) th.join();
    const fs::path tmp = file.string() + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary);
        for (const auto& p : parts) out << p;
    }
    fs::rename(tmp, file);
    return file;
}

std::vector<brotr::Event> parse_all(const fs::path& file) {
    std::vector<brotr::Event> events;
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);) events.push_back(*brotr::parse_event(line).event);
    return events;
}

// Raw libsecp256k1 checks per second on all cores, on decoded events: the
// x-only pubkey parse and the Schnorr verify of every event (the limit), or
// the verify alone with every key parsed beforehand (what no cache can beat).
double verify_rate(const std::vector<brotr::Event>& events, bool parse_keys, double& cpu_per_event) {
    const secp256k1_context* ctx = brotr::detail::secp256k1_shared_context();
    std::vector<secp256k1_xonly_pubkey> keys(parse_keys ? 0 : events.size());
    for (std::size_t i = 0; i < keys.size(); ++i)
        if (secp256k1_xonly_pubkey_parse(ctx, &keys[i], events[i].pubkey.data()) != 1) throw std::runtime_error("bad key");
    const unsigned n = cores();
    std::atomic<std::size_t> bad{0};
    const double cpu0 = process_cpu();
    const auto start = Clock::now();
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < n; ++t) {
        threads.emplace_back([&, t] {
            for (std::size_t i = t; i < events.size(); i += n) {
                const brotr::Event& e = events[i];
                secp256k1_xonly_pubkey parsed;
                const secp256k1_xonly_pubkey* key = &parsed;
                if (parse_keys) {
                    if (secp256k1_xonly_pubkey_parse(ctx, &parsed, e.pubkey.data()) != 1) ++bad;
                } else {
                    key = &keys[i];
                }
                if (secp256k1_schnorrsig_verify(ctx, e.sig.data(), e.id.data(), e.id.size(), key) != 1) ++bad;
            }
        });
    }
    for (auto& th : threads) th.join();
    const double wall = seconds_since(start);
    cpu_per_event = (process_cpu() - cpu0) / static_cast<double>(events.size());
    if (bad) std::fprintf(stderr, "warning: %zu signatures did not verify\n", bad.load());
    return static_cast<double>(events.size()) / wall;
}

struct ImportRun {
    brotr::storage::ImportReport report;
    double seconds = 0;
    double cpu_per_line = 0;
};

// One `brotr import` run: open the store, import the file, close the store
// (what closing writes is part of the import). Timed and CPU-counted whole.
ImportRun import_file(const fs::path& store_path, const fs::path& file, bool verify, const brotr::RelayUrl* relay) {
    int fd = ::open(file.c_str(), O_RDONLY);
    if (fd < 0) throw std::runtime_error("cannot open " + file.string());
    brotr::storage::ImportOptions o;
    o.verify = verify;
    o.relay = relay;
    o.seen_at = 1'700'000'000;
    // The store is opened as `brotr import` opens it.
    brotr::StoreOptions as_import;
    as_import.bulk_load = true;
    ImportRun run;
    const double cpu0 = process_cpu();
    const auto start = Clock::now();
    {
        brotr::Store store = brotr::Store::open(store_path.string(), as_import);
        run.report = brotr::storage::import_jsonl(store, fd, o);
    }
    run.seconds = seconds_since(start);
    run.cpu_per_line = (process_cpu() - cpu0) / static_cast<double>(run.report.lines);
    ::close(fd);
    return run;
}

void compact(const fs::path& store_path) { brotr::Store::open(store_path.string()).compact(); }

std::uintmax_t directory_bytes(const fs::path& dir) {
    std::uintmax_t total = 0;
    for (const auto& entry : fs::recursive_directory_iterator(dir))
        if (entry.is_regular_file()) total += entry.file_size();
    return total;
}

std::uintmax_t sst_bytes(const fs::path& dir) {
    std::uintmax_t total = 0;
    for (const auto& entry : fs::directory_iterator(dir))
        if (entry.path().extension() == ".sst") total += entry.file_size();
    return total;
}

// Median wall time of `brotr-dump --store <dir> stats` over several runs, in ms.
double dump_stats_ms(const fs::path& dump, const fs::path& store) {
    std::vector<double> times;
    for (int i = 0; i < 7; ++i) {
        const auto start = Clock::now();
        pid_t pid = ::fork();
        if (pid == 0) {
            int devnull = ::open("/dev/null", O_WRONLY);
            ::dup2(devnull, 1);
            ::execl(dump.c_str(), dump.c_str(), "--store", store.c_str(), "stats", static_cast<char*>(nullptr));
            _exit(127);
        }
        int status = 0;
        ::waitpid(pid, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error("brotr-dump stats failed");
        times.push_back(seconds_since(start) * 1000);
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

}  // namespace

int main() {
    try {
        const fs::path file = events_file();
        const auto jsonl_bytes = fs::file_size(file);
        const auto events = parse_all(file);
        std::printf("bench_store: %zu events, %.1f MB of JSONL (%.0f bytes/event), %u cores\n", events.size(),
                    static_cast<double>(jsonl_bytes) / 1e6, static_cast<double>(jsonl_bytes) / static_cast<double>(events.size()),
                    cores());

        // Each rate is the median of three runs: on a shared 2-core machine
        // one run can be 20% off either way, and the machine's speed drifts
        // over seconds. So the limit is measured before the first import and
        // after each one, and each import is set against the mean of the
        // limits measured just before and just after it.
        std::vector<double> limits, limit_cpus, bare, bare_cpus;
        auto measure_limit = [&] {
            double cpu = 0;
            limits.push_back(verify_rate(events, true, cpu));
            limit_cpus.push_back(cpu);
            bare.push_back(verify_rate(events, false, cpu));
            bare_cpus.push_back(cpu);
        };
        measure_limit();

        brotr::test::TempDir dir;
        const fs::path big = dir / "big";
        const brotr::RelayUrl relay = *brotr::RelayUrl::parse("wss://relay.example.com");
        std::vector<double> rates, cpus, shares;
        std::string summary;
        std::uintmax_t imported_bytes = 0;
        for (int run = 0; run < kRuns; ++run) {
            // The first run's store is kept for the measures below.
            const fs::path path = run == 0 ? big : dir / ("import-" + std::to_string(run));
            brotr::Store::init(path.string(), brotr::StoreVariant::bigbrotr);
            auto r = import_file(path, file, true, &relay);
            rates.push_back(static_cast<double>(r.report.lines) / r.seconds);
            cpus.push_back(r.cpu_per_line);
            summary = r.report.summary();
            if (run == 0) {
                imported_bytes = directory_bytes(big);
                compact(path);
            }
            measure_limit();
            shares.push_back(rates.back() / ((limits[limits.size() - 2] + limits.back()) / 2));
        }
        for (int run = 1; run < kRuns; ++run) fs::remove_all(dir / ("import-" + std::to_string(run)));

        const double limit = median(limits);
        std::printf("%-34s %10.0f events/s  %6.1f us CPU/event  (runs: %s)\n", "verify limit (secp256k1, all cores)",
                    limit, median(limit_cpus) * 1e6, joined(limits).c_str());
        std::printf("%-34s %10.0f events/s  %6.1f us CPU/event  (keys parsed beforehand; for reference)\n",
                    "  Schnorr verify alone", median(bare), median(bare_cpus) * 1e6);
        std::printf("%-34s %10.1f MB  %6.0f bytes/event (as imported, before any compaction)\n",
                    "bigbrotr on disk, imported", static_cast<double>(imported_bytes) / 1e6,
                    static_cast<double>(imported_bytes) / static_cast<double>(events.size()));
        std::vector<double> percents;
        for (double x : shares) percents.push_back(100 * x);
        std::printf("%-34s %10.0f events/s  %6.1f us CPU/event  %5.1f%% of the limit (goal >= 80%%)  "
                    "(runs: %s; %% of the limits around each: %s)  [%s]\n",
                    "import, verified", median(rates), median(cpus) * 1e6, 100 * median(shares), joined(rates).c_str(),
                    joined(percents).c_str(), summary.c_str());
        const auto big_bytes = directory_bytes(big);
        std::printf("%-34s %10.1f MB  %6.0f bytes/event  %5.1f%% of the JSONL (goal <= 60%%; SST files %.1f MB)\n",
                    "bigbrotr on disk, compacted", static_cast<double>(big_bytes) / 1e6,
                    static_cast<double>(big_bytes) / static_cast<double>(events.size()),
                    100.0 * static_cast<double>(big_bytes) / static_cast<double>(jsonl_bytes),
                    static_cast<double>(sst_bytes(big)) / 1e6);
        {
            std::vector<double> again_rates, again_cpus;
            std::string again_summary;
            for (int run = 0; run < kRuns; ++run) {
                auto again = import_file(big, file, true, &relay);
                again_rates.push_back(static_cast<double>(again.report.lines) / again.seconds);
                again_cpus.push_back(again.cpu_per_line);
                again_summary = again.report.summary();
            }
            const double rate2 = median(again_rates);
            std::printf("%-34s %10.0f events/s  %6.1f us CPU/event  %5.1fx the limit (goal >= 10x)  (runs: %s)  [%s]\n",
                        "re-import, all duplicates", rate2, median(again_cpus) * 1e6, rate2 / limit, joined(again_rates).c_str(),
                        again_summary.c_str());
        }

        const fs::path lil = dir / "lil";
        brotr::Store::init(lil.string(), brotr::StoreVariant::lilbrotr);
        import_file(lil, file, false, &relay);
        compact(lil);
        const auto lil_bytes = directory_bytes(lil);
        std::printf("%-34s %10.1f MB  %6.0f bytes/event  %5.1f%% of the JSONL\n", "lilbrotr on disk, compacted",
                    static_cast<double>(lil_bytes) / 1e6, static_cast<double>(lil_bytes) / static_cast<double>(events.size()),
                    100.0 * static_cast<double>(lil_bytes) / static_cast<double>(jsonl_bytes));

        // A store a tenth of the size, to show the stats time does not grow with it.
        const fs::path small = dir / "small";
        const fs::path small_file = dir / "small.jsonl";
        {
            std::ifstream in(file);
            std::ofstream out(small_file);
            std::string line;
            for (std::size_t i = 0; i < kEvents / 10 && std::getline(in, line); ++i) out << line << '\n';
        }
        brotr::Store::init(small.string(), brotr::StoreVariant::bigbrotr);
        import_file(small, small_file, false, &relay);
        compact(small);
        const fs::path dump = program_dir().parent_path().parent_path() / "brotr-dump";
        if (fs::exists(dump)) {
            const double ms_big = dump_stats_ms(dump, big);
            const double ms_small = dump_stats_ms(dump, small);
            std::printf("%-34s %10.1f ms on 100k events, %.1f ms on 10k (goal < 100 ms)\n", "brotr-dump stats (median of 7)",
                        ms_big, ms_small);
        } else {
            std::printf("brotr-dump stats: %s not built, skipped\n", dump.c_str());
        }
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_store: error: %s\n", e.what());
        return 1;
    }
}
