// The synchronizer's saved state: round trip, and damaged state degrading
// per entry rather than as a whole.
#include <gtest/gtest.h>

#include "services/sync_state.hpp"

using brotr::services::SyncState;

TEST(SynchronizerState, RoundTripsThroughJson) {
    SyncState s;
    s.relay_timestamps["wss://relay.example"] = 1'700'000'000;
    s.relay_timestamps["ws://127.0.0.1:7777"] = -1;
    auto back = SyncState::from_json(s.to_json());
    ASSERT_TRUE(back);
    EXPECT_EQ(back->relay_timestamps, s.relay_timestamps);
    EXPECT_EQ(back->timestamp("wss://relay.example"), 1'700'000'000);
    EXPECT_FALSE(back->timestamp("wss://other.example"));
}

TEST(SynchronizerState, EmptyObjectAndMissingKeyMeanNoTimestamps) {
    auto a = SyncState::from_json("{}");
    ASSERT_TRUE(a);
    EXPECT_TRUE(a->relay_timestamps.empty());
    EXPECT_EQ(SyncState{}.to_json(), R"({"relay_timestamps":{}})");
}

TEST(SynchronizerState, NotAnObjectIsRejected) {
    EXPECT_FALSE(SyncState::from_json("not json"));
    EXPECT_FALSE(SyncState::from_json("[1,2]"));
    EXPECT_FALSE(SyncState::from_json(""));
    EXPECT_FALSE(SyncState::from_json(R"({"relay_timestamps":{})"));  // truncated
}

TEST(SynchronizerState, BadEntriesAreSkippedAndCounted) {
    std::size_t skipped = 0;
    auto s = SyncState::from_json(
        R"({"relay_timestamps":{"wss://a.example":5,"wss://b.example":"7","wss://c.example":1.5,"wss://d.example":null}})",
        &skipped);
    ASSERT_TRUE(s);
    EXPECT_EQ(skipped, 3u);
    ASSERT_EQ(s->relay_timestamps.size(), 1u);
    EXPECT_EQ(s->timestamp("wss://a.example"), 5);
}

TEST(SynchronizerState, TimestampsOfTheWrongTypeAreSkipped) {
    std::size_t skipped = 0;
    auto s = SyncState::from_json(R"({"relay_timestamps":[1,2,3]})", &skipped);
    ASSERT_TRUE(s);
    EXPECT_EQ(skipped, 1u);
    EXPECT_TRUE(s->relay_timestamps.empty());
}
