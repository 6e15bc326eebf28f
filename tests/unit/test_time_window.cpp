// The time-window stack algorithm against simulated relays that cap their
// answers in the ways real relays do (newest first, below the requested
// limit, unordered, ascending) and against relays that misbehave.
#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <vector>

#include <gtest/gtest.h>

#include "services/time_window.hpp"

using brotr::Event;
using brotr::services::TimeWindow;
using brotr::services::WindowFetcher;
using brotr::services::WindowFetchOptions;

namespace {

Event event_at(std::int64_t created_at, std::uint32_t serial) {
    Event e;
    e.created_at = created_at;
    for (int i = 0; i < 4; ++i) e.id[i] = static_cast<std::uint8_t>(serial >> (8 * i));
    return e;
}

std::uint32_t serial_of(const Event& e) {
    std::uint32_t s = 0;
    for (int i = 0; i < 4; ++i) s |= static_cast<std::uint32_t>(e.id[i]) << (8 * i);
    return s;
}

enum class Order { newest_first, oldest_first, shuffled };

// A relay holding `events`: it answers a window with at most min(limit, cap)
// of its events, chosen and ordered as a relay of that kind would.
struct SimulatedRelay {
    std::vector<Event> events;
    std::size_t cap = SIZE_MAX;
    Order order = Order::newest_first;
    std::mt19937 rng{7};
    std::uint64_t requests = 0;

    std::vector<Event> answer(TimeWindow w, std::size_t limit) {
        ++requests;
        std::vector<Event> in;
        for (const auto& e : events)
            if (e.created_at >= w.since && e.created_at <= w.until) in.push_back(e);
        const std::size_t n = std::min({in.size(), limit, cap});
        if (order == Order::shuffled) {
            // Any subset, any order: nothing to rely on but the count.
            std::shuffle(in.begin(), in.end(), rng);
            in.resize(n);
            return in;
        }
        // Newest first with ties in arbitrary order, like sqlite/strfry.
        std::shuffle(in.begin(), in.end(), rng);
        std::stable_sort(in.begin(), in.end(), [](const Event& a, const Event& b) { return a.created_at > b.created_at; });
        in.resize(n);
        if (order == Order::oldest_first) std::reverse(in.begin(), in.end());
        return in;
    }
};

struct FetchOutcome {
    std::vector<Event> kept;
    WindowFetcher::Status status;
    brotr::services::WindowFetchStats stats;
};

FetchOutcome fetch_all(SimulatedRelay& relay, TimeWindow window, WindowFetchOptions options) {
    WindowFetcher f(window, options);
    FetchOutcome out;
    while (auto w = f.next()) {
        EXPECT_LE(w->since, w->until);
        auto answer = relay.answer(*w, options.limit);
        f.accept(answer);
        out.kept.insert(out.kept.end(), answer.begin(), answer.end());
    }
    out.status = f.status();
    out.stats = f.stats();
    return out;
}

// `count` events from `start`, `per_second` of them in each second.
std::vector<Event> corpus(std::size_t count, std::int64_t start, std::size_t per_second) {
    std::vector<Event> v;
    for (std::size_t i = 0; i < count; ++i)
        v.push_back(event_at(start + static_cast<std::int64_t>(i / per_second), static_cast<std::uint32_t>(i)));
    return v;
}

// Every event of the window handed out exactly once, and nothing else.
void expect_exactly(const std::vector<Event>& kept, const std::vector<Event>& expected) {
    std::multiset<std::uint32_t> got, want;
    for (const auto& e : kept) got.insert(serial_of(e));
    for (const auto& e : expected) want.insert(serial_of(e));
    EXPECT_EQ(got.size(), kept.size());
    EXPECT_EQ(got, want);
    std::set<std::uint32_t> distinct(got.begin(), got.end());
    EXPECT_EQ(distinct.size(), got.size()) << "an event was handed out twice";
}

}  // namespace

TEST(TimeWindow, EmptyWindowIsDoneWithoutARequest) {
    WindowFetcher f({100, 99}, {});
    EXPECT_EQ(f.status(), WindowFetcher::Status::done);
    EXPECT_FALSE(f.next());
}

TEST(TimeWindow, SmallAnswerCompletesTheWindowInOneRequest) {
    SimulatedRelay relay;
    relay.events = corpus(40, 1000, 1);
    auto out = fetch_all(relay, {0, 5000}, {.limit = 500});
    EXPECT_EQ(out.status, WindowFetcher::Status::done);
    expect_exactly(out.kept, relay.events);
    EXPECT_EQ(relay.requests, 1u);
}

TEST(TimeWindow, EmptyRelayCostsOneRequest) {
    SimulatedRelay relay;
    auto out = fetch_all(relay, {0, 5000}, {.limit = 500});
    EXPECT_EQ(out.status, WindowFetcher::Status::done);
    EXPECT_TRUE(out.kept.empty());
    EXPECT_EQ(relay.requests, 1u);
}

TEST(TimeWindow, CappedNewestFirstRelayYieldsEveryEventOnceWithManySharingASecond) {
    SimulatedRelay relay;
    relay.events = corpus(5000, 1'700'000'000, 30);  // seconds of exactly `limit` events
    auto out = fetch_all(relay, {0, 1'800'000'000}, {.limit = 30});
    EXPECT_EQ(out.status, WindowFetcher::Status::done);
    expect_exactly(out.kept, relay.events);
    EXPECT_GT(out.stats.second_splits, 100u);
}

TEST(TimeWindow, CappedRelayWithSecondsOfVaryingSizeYieldsEveryEventOnce) {
    SimulatedRelay relay;
    std::mt19937 rng(3);
    std::uint32_t serial = 0;
    for (std::int64_t second = 1'700'000'000; relay.events.size() < 6000; second += 1 + rng() % 3)
        for (std::uint32_t i = rng() % 45; i > 0; --i) relay.events.push_back(event_at(second, serial++));
    auto out = fetch_all(relay, {0, 1'800'000'000}, {.limit = 50});
    EXPECT_EQ(out.status, WindowFetcher::Status::done);
    expect_exactly(out.kept, relay.events);
}

TEST(TimeWindow, SecondsHoldingMoreThanTheLimitAreCountedAsCapped) {
    // With a limit of 30 only 30 of a 40-event second come back: a relay
    // cannot be asked for less than one second. Counted, not hidden.
    SimulatedRelay relay;
    relay.events = corpus(400, 5000, 40);
    auto out = fetch_all(relay, {0, 10'000}, {.limit = 30});
    EXPECT_EQ(out.status, WindowFetcher::Status::done);
    EXPECT_EQ(out.kept.size(), 10u * 30u);
    EXPECT_EQ(out.stats.capped_seconds, 10u);
}

TEST(TimeWindow, LimitAboveSecondSizeGetsEverythingInFewRequests) {
    SimulatedRelay relay;
    relay.events = corpus(20'000, 1'700'000'000, 7);
    auto out = fetch_all(relay, {0, 1'800'000'000}, {.limit = 500});
    EXPECT_EQ(out.status, WindowFetcher::Status::done);
    expect_exactly(out.kept, relay.events);
    // Each full answer moves the window by all but its oldest second.
    EXPECT_LE(relay.requests, 20'000u / (500 - 7) + 3);
    EXPECT_EQ(out.stats.capped_seconds, 0u);
}

TEST(TimeWindow, RelayCappingBelowTheRequestedLimitLosesNothing) {
    SimulatedRelay relay;
    relay.events = corpus(12'000, 1'700'000'000, 3);
    relay.cap = 1000;  // like @nostr-relay, while brotr asks for 5000
    auto out = fetch_all(relay, {0, 1'800'000'000}, {.limit = 5000});
    EXPECT_EQ(out.status, WindowFetcher::Status::done);
    expect_exactly(out.kept, relay.events);
}

TEST(TimeWindow, OldestFirstRelayIsHandledByHalvingWindows) {
    SimulatedRelay relay;
    relay.events = corpus(3000, 1'700'000'000, 2);
    relay.order = Order::oldest_first;
    auto out = fetch_all(relay, {1'600'000'000, 1'800'000'000}, {.limit = 200});
    EXPECT_EQ(out.status, WindowFetcher::Status::done);
    expect_exactly(out.kept, relay.events);
    EXPECT_GT(out.stats.midpoint_splits, 0u);
}

TEST(TimeWindow, UnorderedRelayReturningArbitrarySubsetsIsHandledByHalvingWindows) {
    SimulatedRelay relay;
    relay.events = corpus(3000, 1'700'000'000, 5);
    relay.order = Order::shuffled;
    auto out = fetch_all(relay, {0, 1'800'000'000}, {.limit = 200});
    EXPECT_EQ(out.status, WindowFetcher::Status::done);
    expect_exactly(out.kept, relay.events);
}

TEST(TimeWindow, EventsOutsideTheRequestedWindowAreIgnored) {
    WindowFetcher f({100, 200}, {.limit = 10});
    std::vector<Event> answer{event_at(150, 1), event_at(99, 2), event_at(201, 3), event_at(120, 4)};
    f.accept(answer);
    ASSERT_EQ(answer.size(), 2u);
    EXPECT_EQ(serial_of(answer[0]), 1u);
    EXPECT_EQ(serial_of(answer[1]), 4u);
    EXPECT_EQ(f.status(), WindowFetcher::Status::done);
}

TEST(TimeWindow, TruncatedAnswerKeepsOnlyEventsAboveItsOldestSecond) {
    WindowFetcher f({0, 1000}, {.limit = 4});
    std::vector<Event> answer{event_at(900, 1), event_at(800, 2), event_at(700, 3), event_at(700, 4)};
    f.accept(answer);
    ASSERT_EQ(answer.size(), 2u);
    EXPECT_EQ(f.next(), (TimeWindow{0, 700}));
}

TEST(TimeWindow, AnswerAllInOneSecondSplitsThatSecondOff) {
    WindowFetcher f({0, 1000}, {.limit = 3});
    std::vector<Event> answer{event_at(600, 1), event_at(600, 2), event_at(600, 3)};
    f.accept(answer);
    EXPECT_TRUE(answer.empty());
    EXPECT_EQ(f.next(), (TimeWindow{600, 600}));
    std::vector<Event> second{event_at(600, 1), event_at(600, 2), event_at(600, 3)};
    f.accept(second);
    EXPECT_EQ(second.size(), 3u);  // a single second keeps everything
    EXPECT_EQ(f.next(), (TimeWindow{0, 599}));
}

TEST(TimeWindow, RelayDenyingEventsItClaimedBeforeEndsTheFetch) {
    // First answer: 3 events (the limit), all at second 600. Asked for second
    // 600 alone it answers completely with only 1: it contradicts itself.
    WindowFetcher f({0, 1000}, {.limit = 3});
    std::vector<Event> first{event_at(600, 1), event_at(600, 2), event_at(600, 3)};
    f.accept(first);
    std::vector<Event> second{event_at(600, 1)};
    f.accept(second);
    EXPECT_EQ(f.status(), WindowFetcher::Status::contradicted);
    EXPECT_TRUE(second.empty());
    EXPECT_FALSE(f.next());
}

TEST(TimeWindow, RelayDenyingAClaimedSecondInALaterCompleteAnswerEndsTheFetch) {
    WindowFetcher f({0, 1000}, {.limit = 4});
    std::vector<Event> first{event_at(900, 1), event_at(800, 2), event_at(700, 3), event_at(700, 4)};
    f.accept(first);  // claims >= 2 events at second 700
    ASSERT_EQ(f.next(), (TimeWindow{0, 700}));
    std::vector<Event> second{event_at(700, 3), event_at(10, 9)};  // complete, one event at 700
    f.accept(second);
    EXPECT_EQ(f.status(), WindowFetcher::Status::contradicted);
}

TEST(TimeWindow, ConsistentReanswerIsNotAContradiction) {
    WindowFetcher f({0, 1000}, {.limit = 4});
    std::vector<Event> first{event_at(900, 1), event_at(800, 2), event_at(700, 3), event_at(700, 4)};
    f.accept(first);
    std::vector<Event> second{event_at(700, 4), event_at(700, 3), event_at(700, 5), event_at(10, 9)};
    f.accept(second);  // 4 = limit again: truncated, newest 700, oldest 10
    EXPECT_EQ(f.status(), WindowFetcher::Status::running);
    EXPECT_EQ(second.size(), 3u);
}

TEST(TimeWindow, RequestsAreBoundedForARelayThatNeverRunsOut) {
    // An adversarial relay: every window answered with `limit` fresh events
    // spread over it in random order, forever.
    WindowFetchOptions options{.limit = 50, .min_plausible_cap = 100, .max_requests = 500};
    WindowFetcher f({0, 4'000'000'000}, options);
    std::mt19937_64 rng(1);
    std::uint32_t serial = 0;
    while (auto w = f.next()) {
        std::uniform_int_distribution<std::int64_t> at(w->since, w->until);
        std::vector<Event> answer;
        for (int i = 0; i < 50; ++i) answer.push_back(event_at(at(rng), serial++));
        f.accept(answer);
    }
    EXPECT_EQ(f.status(), WindowFetcher::Status::request_limit);
    EXPECT_EQ(f.stats().requests, 500u);
}

TEST(TimeWindow, SingleSecondWindowAcceptsAFullAnswer) {
    WindowFetcher f({42, 42}, {.limit = 2});
    std::vector<Event> answer{event_at(42, 1), event_at(42, 2)};
    f.accept(answer);
    EXPECT_EQ(answer.size(), 2u);
    EXPECT_EQ(f.status(), WindowFetcher::Status::done);
    EXPECT_EQ(f.stats().capped_seconds, 1u);
}
