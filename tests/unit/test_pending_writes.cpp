// PendingWrites: what the writer sees of deferred batches, and their entries
// in key order for SST files.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <stdexcept>

#include "storage/counter_record.hpp"
#include "storage/pending_writes.hpp"

namespace brotr::storage {
namespace {

std::string counter(std::uint64_t count, std::int64_t t) {
    CounterRecord r;
    r.count = count;
    r.add_time(t);
    return r.encode();
}

std::vector<std::pair<std::string, std::string>> keys_and_values(const PendingWrites::Sorted& sorted) {
    std::vector<std::pair<std::string, std::string>> out;
    for (std::size_t i = 0; i < sorted.size(); ++i) out.emplace_back(std::string(sorted[i].key), std::string(sorted[i].value));
    return out;
}

TEST(PendingWrites, SortsKeysBytewiseWhateverTheirLengthAndPrefix) {
    PendingWrites p;
    SortedBatch a, b;
    // Keys shorter than, equal to and longer than the 8-byte prefix that
    // the sort compares first, some equal in it, with 0x00 and 0xff bytes.
    const std::vector<std::string> keys = {std::string("ab\0", 3), "ab", "abcdefgh", "abcdefgh\x01",
                                           "abcdefgg\xff", std::string("\0", 1), "\xff\xff", std::string("abcdefgh\0z", 10)};
    for (std::size_t i = 0; i < keys.size(); ++i) (i % 2 ? a : b).put(Cf::idx_tag, keys[i], std::to_string(i));
    p.add(std::move(a));
    p.add(std::move(b));
    std::deque<std::string> combined;
    auto sorted = keys_and_values(p.sorted(Cf::idx_tag, combined));
    auto expected = keys;
    std::sort(expected.begin(), expected.end());
    ASSERT_EQ(sorted.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(sorted[i].first, expected[i]) << i;
    EXPECT_TRUE(p.sorted(Cf::idx_kind, combined).empty());
}

// The sort compares words past the prefix a family's keys share, and again
// past what keys equal in those words share: keys that agree on 16, 32, 48
// bytes, end inside or right at a word, differ only by trailing 0x00 bytes,
// or come several times (the last put wins) must still come out in
// bytewise order, once each.
TEST(PendingWrites, SortsKeysWithLongSharedPrefixesAndRepeatsLikeAnOrderedMap) {
    std::mt19937 random(7);
    const std::string url = "wss://relay.example.com/with/a/long/path";
    const std::string alphabet("\0\x01a\xff", 4);
    std::map<std::string, std::string> expected;
    PendingWrites p;
    for (int batch = 0; batch < 4; ++batch) {
        SortedBatch b;
        for (int i = 0; i < 3000; ++i) {
            std::string key = url.substr(0, random() % 4 == 0 ? url.size() : random() % (url.size() + 1));
            const std::size_t tail = random() % 20;
            for (std::size_t t = 0; t < tail; ++t) key.push_back(alphabet[random() % alphabet.size()]);
            const std::string value = std::to_string(batch) + "/" + std::to_string(i);
            b.put(Cf::idx_tag, key, value);
            expected[key] = value;
        }
        p.add(std::move(b));
    }
    std::deque<std::string> combined;
    const auto sorted = keys_and_values(p.sorted(Cf::idx_tag, combined));
    const std::vector<std::pair<std::string, std::string>> reference(expected.begin(), expected.end());
    ASSERT_EQ(sorted.size(), reference.size());
    for (std::size_t i = 0; i < reference.size(); ++i) ASSERT_EQ(sorted[i], reference[i]) << i;
}

TEST(PendingWrites, TheLastPutOfAKeyWins) {
    PendingWrites p;
    SortedBatch a, b;
    a.put(Cf::relays, "wss://r", "first");
    a.put(Cf::relays, "wss://r", "second");
    b.put(Cf::relays, "wss://r", "third");
    p.add(std::move(a));
    p.add(std::move(b));
    std::deque<std::string> combined;
    auto sorted = keys_and_values(p.sorted(Cf::relays, combined));
    ASSERT_EQ(sorted.size(), 1u);
    EXPECT_EQ(sorted[0].second, "third");
    EXPECT_EQ(p.find(Cf::relays, "wss://r"), "third");
}

TEST(PendingWrites, CounterMergesOfOneKeyAreAddedUpAndStayAMerge) {
    PendingWrites p;
    SortedBatch a, b;
    a.merge(Cf::counters, "k", counter(2, 100));
    b.merge(Cf::counters, "k", counter(3, 50));
    b.merge(Cf::counters, "k", counter(1, 400));
    p.add(std::move(a));
    p.add(std::move(b));
    std::deque<std::string> combined;
    auto sorted = p.sorted(Cf::counters, combined);
    ASSERT_EQ(sorted.size(), 1u);
    EXPECT_TRUE(sorted[0].merge);  // a stored value may lie under it
    auto sum = CounterRecord::decode(sorted[0].value);
    ASSERT_TRUE(sum.has_value());
    EXPECT_EQ(sum->count, 6u);
    EXPECT_EQ(sum->min, 50);
    EXPECT_EQ(sum->max, 400);
}

TEST(PendingWrites, MergesAfterAPutAddToItAndMakeAPut) {
    PendingWrites p;
    SortedBatch a;
    a.merge(Cf::counters, "k", counter(9, 1));  // replaced by the put below
    a.put(Cf::counters, "k", counter(1, 10));
    a.merge(Cf::counters, "k", counter(2, 20));
    p.add(std::move(a));
    std::deque<std::string> combined;
    auto sorted = p.sorted(Cf::counters, combined);
    ASSERT_EQ(sorted.size(), 1u);
    EXPECT_FALSE(sorted[0].merge);
    EXPECT_EQ(CounterRecord::decode(sorted[0].value)->count, 3u);
}

TEST(PendingWrites, MergesOutsideTheCountersAreRefused) {
    PendingWrites p;
    SortedBatch a;
    a.merge(Cf::relays, "k", "x");
    a.merge(Cf::relays, "k", "y");
    p.add(std::move(a));
    std::deque<std::string> combined;
    EXPECT_THROW(p.sorted(Cf::relays, combined), std::logic_error);
}

TEST(PendingWrites, FindsOnlyInTheFamiliesTheWriterReadsAndForgetsOnClear) {
    PendingWrites p;
    EXPECT_TRUE(p.empty());
    SortedBatch a;
    a.put(Cf::event_ids, "id", "v");
    a.put(Cf::idx_kind, "kind", "");
    p.add(std::move(a));
    EXPECT_FALSE(p.empty());
    EXPECT_EQ(p.bytes(), 2u + 1u + 4u);
    EXPECT_EQ(p.find(Cf::event_ids, "id"), "v");
    EXPECT_FALSE(p.find(Cf::event_ids, "other").has_value());
    EXPECT_FALSE(p.find(Cf::idx_kind, "kind").has_value());  // never read by the writer: not indexed
    p.clear();
    EXPECT_TRUE(p.empty());
    EXPECT_EQ(p.bytes(), 0u);
    EXPECT_FALSE(p.find(Cf::event_ids, "id").has_value());
}

}  // namespace
}  // namespace brotr::storage
