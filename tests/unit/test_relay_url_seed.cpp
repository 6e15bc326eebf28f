// The real seed list (../shared/data/seed_relays.txt) as a corpus: every line
// parses without crashing, normalization is idempotent, onion hosts are tor.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "brotr/relay_url.hpp"
#include "support/test_env.hpp"

namespace brotr {
namespace {

TEST(RelayUrlSeedCorpus, EveryLineParsesIdempotentlyAndOnionsAreTor) {
    auto dir = test::shared_data_dir();
    if (!dir) {
        // ../shared next to the source tree, when only BROTR_SOURCE_DIR is known.
        if (auto source = test::env("BROTR_SOURCE_DIR")) {
            auto candidate = std::filesystem::path(*source) / ".." / "shared" / "data";
            if (std::filesystem::exists(candidate)) dir = candidate;
        }
    }
    if (!dir) GTEST_SKIP() << "reference data (BROTR_SHARED_DATA, ../shared/data) is absent";
    std::ifstream in(*dir / "seed_relays.txt");
    if (!in) GTEST_SKIP() << "seed_relays.txt is absent from " << dir->string();

    std::size_t lines = 0, valid = 0, onion_hosts = 0, tor = 0;
    std::string line, rejected;
    while (std::getline(in, line)) {
        ++lines;
        std::string why;
        auto url = RelayUrl::parse(line, &why);
        if (!url) {
            EXPECT_FALSE(why.empty()) << line;
            rejected += "  line " + std::to_string(lines) + " '" + line + "': " + why + "\n";
            continue;
        }
        ++valid;
        auto again = RelayUrl::parse(url->str());
        ASSERT_TRUE(again) << url->str();
        EXPECT_EQ(again->str(), url->str());
        if (url->host().ends_with(".onion")) {
            ++onion_hosts;
            EXPECT_EQ(url->network(), Network::tor) << line;
        }
        if (url->network() == Network::tor) ++tor;
    }
    EXPECT_EQ(lines, 8865u);
    // The list is the original archiver's relay registry: a few entries are
    // really malformed (e.g. an IPv4 octet of 484), but mass rejection would
    // mean a parser bug.
    EXPECT_GE(valid, lines - lines / 100) << "rejected:\n" << rejected;
    std::cout << "seed corpus: " << valid << " of " << lines << " valid; rejected:\n" << rejected;
    EXPECT_EQ(onion_hosts, 935u);
    EXPECT_EQ(tor, 935u);
}

}  // namespace
}  // namespace brotr
