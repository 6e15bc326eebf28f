// The Initializer against a real store: create or open of the right variant,
// seeding from files with comments, invalid lines and duplicates, and the
// reference seed corpus.
#include <algorithm>
#include <fstream>

#include <gtest/gtest.h>

#include "services/initializer.hpp"
#include "support/test_env.hpp"

using namespace brotr;
namespace test = brotr::test;

namespace {

Config config_in(const test::TempDir& dir, StoreVariant variant, std::filesystem::path seed_file, bool seed = true) {
    Config c;
    c.dir = dir.path();
    c.brotr.store.path = dir.path() / "store";
    c.brotr.store.variant = variant;
    c.services.initializer.seed.enabled = seed;
    c.services.initializer.seed.file_path = std::move(seed_file);
    return c;
}

}  // namespace

TEST(Initializer, ReadSeedFileSkipsCommentsInvalidLinesAndDuplicates) {
    test::TempDir dir;
    test::write_file(dir / "seeds.txt",
                     "# comment\n"
                     "wss://relay.example\n"
                     "  RELAY.example  \n"            // duplicate after normalization
                     "wss://other.example/path # why\n"
                     "ftp://nope.example\n"
                     "wss://\n"
                     "\r\n"
                     "ws://onion" + std::string(50, 'x') + ".onion\n"
                     "wss://relay.example#fragment\n");  // fragment dropped: duplicate
    auto list = services::read_seed_file(dir / "seeds.txt");
    EXPECT_EQ(list.lines, 9u);
    EXPECT_EQ(list.invalid, 2u);
    EXPECT_EQ(list.duplicates, 2u);
    std::vector<std::string> urls;
    for (const auto& u : list.urls) urls.push_back(u.str());
    EXPECT_EQ(urls, (std::vector<std::string>{"wss://relay.example", "wss://other.example/path",
                                              "ws://onion" + std::string(50, 'x') + ".onion"}));
    EXPECT_EQ(list.urls[2].network(), Network::tor);
}

TEST(Initializer, ReadSeedFileOfBinaryGarbageCountsEveryLineInvalid) {
    test::TempDir dir;
    std::string garbage;
    for (int i = 0; i < 2000; ++i) garbage.push_back(static_cast<char>((i * 37) % 256));
    test::write_file(dir / "seeds.bin", garbage);
    auto list = services::read_seed_file(dir / "seeds.bin");
    EXPECT_TRUE(list.urls.empty());
    EXPECT_GT(list.invalid, 0u);
}

TEST(Initializer, MissingSeedFileThrows) {
    test::TempDir dir;
    EXPECT_THROW(services::read_seed_file(dir / "absent.txt"), std::runtime_error);
}

TEST(Initializer, CreatesThenReopensTheStoreAndSeedsOnce) {
    test::TempDir dir;
    test::write_file(dir / "seeds.txt", "wss://a.example\nwss://b.example\nwss://a.example\n");
    auto config = config_in(dir, StoreVariant::lilbrotr, dir / "seeds.txt");

    auto first = services::initialize(config);
    EXPECT_TRUE(first.created);
    ASSERT_TRUE(first.seed);
    EXPECT_EQ(first.seed->valid, 2u);
    EXPECT_EQ(first.seed->added, 2u);
    EXPECT_EQ(first.seed->list.duplicates, 1u);

    std::optional<Store> store;
    auto second = services::initialize(config, &store);
    EXPECT_FALSE(second.created);
    EXPECT_EQ(second.seed->added, 0u);
    ASSERT_TRUE(store);
    EXPECT_EQ(store->variant(), StoreVariant::lilbrotr);
    EXPECT_EQ(store->relays().size(), 2u);
}

TEST(Initializer, SeedDisabledCreatesTheStoreWithoutRelays) {
    test::TempDir dir;
    std::optional<Store> store;
    auto report = services::initialize(config_in(dir, StoreVariant::bigbrotr, dir / "absent.txt", false), &store);
    EXPECT_TRUE(report.created);
    EXPECT_FALSE(report.seed);
    EXPECT_TRUE(store->relays().empty());
}

TEST(Initializer, StoreOfTheOtherVariantIsRefused) {
    test::TempDir dir;
    test::write_file(dir / "seeds.txt", "wss://a.example\n");
    services::initialize(config_in(dir, StoreVariant::bigbrotr, dir / "seeds.txt"));
    EXPECT_THROW(services::initialize(config_in(dir, StoreVariant::lilbrotr, dir / "seeds.txt")), StoreError);
}

TEST(Initializer, SeedsTheReferenceCorpus) {
    auto shared = test::shared_data_dir();
    if (!shared || !std::filesystem::exists(*shared / "seed_relays.txt"))
        GTEST_SKIP() << "reference data (../shared/data/seed_relays.txt) not present";
    test::TempDir dir;
    std::optional<Store> store;
    auto report = services::initialize(config_in(dir, StoreVariant::bigbrotr, *shared / "seed_relays.txt"), &store);
    ASSERT_TRUE(report.seed);
    // Every line is accounted for: a relay, a duplicate, invalid, or blank/comment.
    EXPECT_LE(report.seed->valid + report.seed->list.duplicates + report.seed->list.invalid, report.seed->list.lines);
    EXPECT_GT(report.seed->valid, 8000u);
    EXPECT_EQ(report.seed->added, report.seed->valid);
    const auto relays = store->relays();
    EXPECT_EQ(relays.size(), report.seed->valid);
    const auto onion = std::count_if(relays.begin(), relays.end(),
                                     [](const RelayRecord& r) { return r.network == Network::tor; });
    EXPECT_GT(onion, 900);
}
