// Cost of a log call: below the level (must be near free), and enabled into
// a null sink, against a baseline measured in the same run: an empty loop
// body for the disabled case, fmt::format of the same line for the enabled
// case.
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <memory>
#include <string>

#include <fmt/format.h>
#include <spdlog/sinks/null_sink.h>

#include "brotr/log.hpp"
#include "util/log_sink.hpp"

namespace {

double thread_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

volatile std::size_t g_sink = 0;

template <typename Body>
double best_of(int rounds, int calls, Body body) {
    double best = 1e9;
    for (int r = 0; r < rounds; ++r) {
        double t0 = thread_seconds();
        for (int i = 0; i < calls; ++i) body(i);
        best = std::min(best, thread_seconds() - t0);
    }
    return best / calls * 1e9;  // ns per call
}

}  // namespace

int main() {
    namespace log = brotr::log;
    log::set_sink(std::make_shared<spdlog::sinks::null_sink_mt>());
    const std::string relay = "wss://relay.example.com";
    constexpr int kRounds = 5;

    double empty = best_of(kRounds, 2'000'000, [&](int i) { g_sink = g_sink + static_cast<std::size_t>(i); });
    log::set_level(log::Level::info);
    double disabled = best_of(kRounds, 2'000'000, [&](int i) {
        g_sink = g_sink + static_cast<std::size_t>(i);
        log::debug("synchronizer", "event_dropped", {{"relay", relay}, {"reason", "bad signature"}, {"n", i}});
    });

    double format_only = best_of(kRounds, 200'000, [&](int i) {
        std::string s = fmt::format("synchronizer: cycle_completed synced_relays={} relay={} duration={}", i, relay, 41.2);
        g_sink = g_sink + s.size();
    });
    double enabled = best_of(kRounds, 200'000, [&](int i) {
        log::info("synchronizer", "cycle_completed", {{"synced_relays", i}, {"relay", relay}, {"duration", 41.2}});
    });
    log::set_sink(nullptr);

    std::printf("baseline empty loop:        %7.2f ns/call\n", empty);
    std::printf("log below level (disabled): %7.2f ns/call  (+%.2f ns over baseline)\n", disabled, disabled - empty);
    std::printf("baseline fmt::format line:  %7.1f ns/call\n", format_only);
    std::printf("log enabled, null sink:     %7.1f ns/call  (ratio %.1fx the fmt baseline)\n", enabled,
                enabled / format_only);
    return 0;
}
