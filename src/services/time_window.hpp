// The time-window stack algorithm: retrieves every event of a time window
// from a relay that caps each answer at `limit` events (docs/services.md,
// Synchronizer). It only decides what to ask next and which events of an
// answer are complete; the caller sends the requests.
//
//   WindowFetcher f({since, until}, options);
//   while (auto w = f.next()) {
//       std::vector<Event> answer = ...REQ {since: w->since, until: w->until, limit}...;
//       f.accept(answer);   // leaves in `answer` the events to store
//   }
//   f.status() == WindowFetcher::Status::done
//
// Relays answer newest first. An answer of fewer events than the relay's cap
// is the whole window. A possibly truncated answer whose oldest event has
// created_at t is complete above t, so the window shrinks to [since, t]; if
// every event of the answer shares one second, that second is split off and
// asked alone, and a single-second window keeps whatever it gets. A relay
// whose answers are not ordered newest first gets its windows halved
// instead. Windows are disjoint, so each event is handed out once.
//
// An answer is "possibly truncated" when it holds at least `limit` events, or
// at least `min_plausible_cap` events: relays may cap answers below the
// requested limit (e.g. 1,000 while brotr asks for 5,000) without saying so,
// and one extra request per window is cheaper than losing the rest of it.
//
// The relay contradicts itself when a second it claimed to hold at least k
// events (a truncated answer) is later answered completely with fewer: the
// fetch stops with Status::contradicted. The number of requests is bounded
// (Status::request_limit), so a relay can never keep it going forever.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "brotr/event.hpp"

namespace brotr::services {

struct TimeWindow {
    std::int64_t since = 0;  // inclusive
    std::int64_t until = 0;  // inclusive
    bool operator==(const TimeWindow&) const = default;
};

struct WindowFetchOptions {
    std::size_t limit = 500;                // the limit sent with every request
    std::size_t min_plausible_cap = 100;    // smaller answers are never taken for truncated ones
    std::uint64_t max_requests = 100'000;   // per fetch
};

struct WindowFetchStats {
    std::uint64_t requests = 0;
    std::uint64_t truncated_answers = 0;    // answers that led to more requests for their window
    std::uint64_t second_splits = 0;        // a single second split off and asked alone
    std::uint64_t midpoint_splits = 0;      // unordered answers: window halved
    std::uint64_t capped_seconds = 0;       // single-second answers of `limit` events (more may exist)
    std::uint64_t events = 0;               // events handed out
};

class WindowFetcher {
public:
    enum class Status : std::uint8_t {
        running,        // next() has a window to ask for
        done,           // every window answered completely
        contradicted,   // the relay's answers contradict each other
        request_limit,  // max_requests reached before the end
    };

    // An empty window (since > until) is done at once.
    WindowFetcher(TimeWindow window, WindowFetchOptions options);

    // The window to request next; nullopt once the status is not running.
    std::optional<TimeWindow> next() const;

    // The relay's answer to next(), in the order received; every event must
    // lie inside that window (the relay session drops the others). Keeps in
    // `answer` only the events that are complete and not handed out before,
    // in their original order.
    void accept(std::vector<Event>& answer);

    Status status() const { return status_; }
    const WindowFetchStats& stats() const { return stats_; }
    // Windows still to fetch, newest on top (for logs and tests).
    std::size_t pending_windows() const { return stack_.size(); }

private:
    // A window to fetch, and what earlier answers said about its newest second.
    struct Pending {
        TimeWindow window;
        std::int64_t claimed_second = 0;
        std::size_t claimed_count = 0;  // 0: no claim
    };

    bool possibly_truncated(std::size_t n) const;
    // False when `answer` holds fewer events at the claimed second than claimed.
    static bool keeps_claim(const Pending& p, const std::vector<Event>& answer);
    void finish_if_empty();

    WindowFetchOptions options_;
    std::vector<Pending> stack_;
    Status status_ = Status::running;
    WindowFetchStats stats_;
};

std::string_view to_string(WindowFetcher::Status s);

}  // namespace brotr::services
