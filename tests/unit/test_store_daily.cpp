// Store::events_per_day against a recount: events on known days, days with
// none, events on both sides of every midnight (one of a day's two midnights
// falls inside a 256-second histogram bucket), and events outside the
// window, which are not counted.
#include <gtest/gtest.h>

#include <map>

#include "brotr/store.hpp"
#include "support/test_env.hpp"
#include "unit/test_store_fixtures.hpp"

namespace brotr {
namespace {

constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kFirstDay = 19'675;  // 2023-11-14, an odd day: its midnight is inside a bucket
constexpr std::size_t kDays = 10;

class StoreDaily : public ::testing::Test {
protected:
    void add(std::int64_t created_at) {
        events_.push_back(gen_.make(1, "day " + std::to_string(created_at), {}, created_at, events_.size() % 5));
        const std::int64_t day = created_at / kDay;  // created_at >= 0 here
        ++expected_[day];
    }

    Store store() {
        Store s = Store::init((dir_ / "store").string(), StoreVariant::bigbrotr);
        std::vector<EventWithRelay> items;
        for (const auto& e : events_) items.push_back({e, nullptr, 0, false});
        s.insert_events(items);
        return s;
    }

    std::vector<std::uint64_t> recount(std::int64_t first_day, std::size_t days) const {
        std::vector<std::uint64_t> out;
        for (std::size_t i = 0; i < days; ++i) {
            auto it = expected_.find(first_day + static_cast<std::int64_t>(i));
            out.push_back(it == expected_.end() ? 0 : it->second);
        }
        return out;
    }

    test::TempDir dir_;
    test::EventGenerator gen_{11, 5};
    std::vector<Event> events_;
    std::map<std::int64_t, std::uint64_t> expected_;
};

TEST_F(StoreDaily, CountsEachUtcDayFromCountersAndTheEdgesOfBuckets) {
    // Around every midnight of the window and just outside it: the last
    // second of a day, the first of the next, and the half-bucket edges.
    for (std::int64_t d = kFirstDay - 1; d <= kFirstDay + static_cast<std::int64_t>(kDays) + 1; ++d) {
        if (d == kFirstDay + 3 || d == kFirstDay + 4) continue;  // two days with no event at all
        const std::int64_t midnight = d * kDay;
        for (std::int64_t offset : {0, 1, 127, 128, 129, 255, 256})
            add(midnight + offset);
        for (std::int64_t offset : {1, 2, 128, 129})
            if (d != kFirstDay + 5) add(midnight - offset);  // day +4 stays empty: its end too
    }
    // Many events inside the day, in whole buckets.
    for (int i = 0; i < 150; ++i) add((kFirstDay + 6) * kDay + 1000 + i * 397);
    // Much older and newer than the window.
    add(1'000'000);
    add((kFirstDay + 400) * kDay);

    Store s = store();
    const auto got = s.events_per_day(kFirstDay, kDays);
    EXPECT_EQ(got, recount(kFirstDay, kDays));
    EXPECT_EQ(got[3], 0u);
    EXPECT_EQ(got[4], 0u);
    EXPECT_GT(got[6], 150u);
    // An even first day (its midnight on a bucket boundary), one day, and the longest window.
    EXPECT_EQ(s.events_per_day(kFirstDay + 1, 4), recount(kFirstDay + 1, 4));
    EXPECT_EQ(s.events_per_day(kFirstDay + 6, 1), recount(kFirstDay + 6, 1));
    EXPECT_EQ(s.events_per_day(kFirstDay - 200, kMaxStatisticsDays), recount(kFirstDay - 200, kMaxStatisticsDays));
    std::uint64_t sum = 0;
    for (auto n : s.events_per_day(kFirstDay - 200, kMaxStatisticsDays)) sum += n;
    EXPECT_EQ(sum, events_.size() - 2);  // all but the two far outside
}

TEST_F(StoreDaily, AnEmptyStoreHasZeroDaysAndBadRangesAreRefused) {
    Store s = store();
    EXPECT_EQ(s.events_per_day(kFirstDay, 3), (std::vector<std::uint64_t>{0, 0, 0}));
    EXPECT_TRUE(s.events_per_day(kFirstDay, 0).empty());
    EXPECT_THROW(s.events_per_day(-1, 3), StoreError);
    EXPECT_THROW(s.events_per_day(kFirstDay, kMaxStatisticsDays + 1), StoreError);
    EXPECT_THROW(s.events_per_day(std::numeric_limits<std::int64_t>::max() / kDay, 3), StoreError);
}

}  // namespace
}  // namespace brotr
