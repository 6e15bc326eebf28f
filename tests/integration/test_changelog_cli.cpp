// brotr changelog on a real store: the listing of head, trimmed point and
// consumers; --trim honouring a registered consumer and the retention;
// --drop; and clear errors.
#include <gtest/gtest.h>

#include "brotr/store.hpp"
#include "support/test_env.hpp"
#include "unit/test_store_fixtures.hpp"
#include "util/clock.hpp"

namespace brotr {
namespace {

using test::brotr_bin;
using test::run_command;

class ChangelogCli : public ::testing::Test {
protected:
    void SetUp() override {
        Store s = Store::init(path, StoreVariant::bigbrotr);
        const RelayUrl relay = *RelayUrl::parse("wss://relay.example.com");
        std::vector<EventWithRelay> items;
        for (const auto& e : gen.batch(40)) items.push_back({e, &relay, 1000, false});
        s.insert_events(items);
        head = s.changelog_head();
        // A consumer that has read half of it.
        s.set_changelog_consumer("exporter:edge", head / 2, unix_now());
    }
    test::CommandOutput changelog(std::vector<std::string> args) {
        std::vector<std::string> argv{brotr_bin().string(), "changelog", "--store", path};
        argv.insert(argv.end(), args.begin(), args.end());
        return run_command(argv);
    }

    test::TempDir dir;
    std::string path = (dir / "store").string();
    test::EventGenerator gen{8, 15};
    std::uint64_t head = 0;
};

TEST_F(ChangelogCli, ListsTrimsUpToTheSlowestConsumerAndDrops) {
    auto out = changelog({});
    ASSERT_EQ(out.exit_code, 0) << out.err;
    EXPECT_NE(out.out.find("head " + std::to_string(head) + "\n"), std::string::npos) << out.out;
    EXPECT_NE(out.out.find("trimmed_to 0\n"), std::string::npos) << out.out;
    EXPECT_NE(out.out.find("consumer exporter:edge cursor " + std::to_string(head / 2) + " behind " +
                           std::to_string(head - head / 2)),
              std::string::npos)
        << out.out;

    // Retention 0: trimmed up to what the consumer has read, not further.
    out = changelog({"--trim", "--retention", "0"});
    ASSERT_EQ(out.exit_code, 0) << out.err;
    EXPECT_EQ(out.out, "trimmed " + std::to_string(head / 2) + " entries; " + std::to_string(head - head / 2) +
                           " held\n");

    out = changelog({"--drop", "exporter:edge"});
    ASSERT_EQ(out.exit_code, 0) << out.err;
    EXPECT_EQ(out.out, "dropped consumer exporter:edge\n");

    // A long retention keeps what is younger, consumer or not.
    out = changelog({"--trim"});
    ASSERT_EQ(out.exit_code, 0) << out.err;
    EXPECT_EQ(out.out, "trimmed 0 entries; " + std::to_string(head - head / 2) + " held\n");
    // With nobody left to wait for, retention 0 trims the rest.
    out = changelog({"--trim", "--retention", "0"});
    ASSERT_EQ(out.exit_code, 0) << out.err;
    EXPECT_EQ(out.out, "trimmed " + std::to_string(head - head / 2) + " entries; 0 held\n");

    Store s = Store::open(path);
    const ChangelogStatus status = s.changelog_status();
    EXPECT_EQ(status.trimmed_to, head);
    EXPECT_TRUE(status.consumers.empty());
    EXPECT_TRUE(s.read_changelog(0, 10).empty());
}

TEST_F(ChangelogCli, Errors) {
    auto out = changelog({"--drop", "nobody"});
    EXPECT_EQ(out.exit_code, 1);
    EXPECT_NE(out.err.find("no consumer named 'nobody'"), std::string::npos) << out.err;

    out = changelog({"--retention", "5"});  // only with --trim
    EXPECT_NE(out.exit_code, 0);
    out = changelog({"--trim", "--retention", "-1"});
    EXPECT_NE(out.exit_code, 0);

    out = run_command({brotr_bin().string(), "changelog", "--store", (dir / "missing").string()});
    EXPECT_EQ(out.exit_code, 1);
    EXPECT_NE(out.err.find("brotr changelog: error:"), std::string::npos) << out.err;

    // Nothing changed by the failed calls.
    Store s = Store::open(path);
    const ChangelogStatus status = s.changelog_status();
    EXPECT_EQ(status.trimmed_to, 0u);
    EXPECT_EQ(status.head, head);
    ASSERT_EQ(status.consumers.size(), 1u);
}

}  // namespace
}  // namespace brotr
