// brotr init / import / export as a user runs them: real binaries, real stores.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "brotr/store.hpp"
#include "support/test_env.hpp"
#include "unit/test_store_fixtures.hpp"

namespace brotr {
namespace {

using test::brotr_bin;
using test::run_command;
using test::TempDir;

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

std::string last_line(const std::string& text) {
    auto lines = lines_of(text);
    return lines.empty() ? "" : lines.back();
}

class ImportCli : public ::testing::Test {
protected:
    void SetUp() override {
        auto r = run_command({brotr_bin().string(), "init", "--store", store});
        ASSERT_EQ(r.exit_code, 0) << r.err;
        EXPECT_NE(r.out.find("created bigbrotr store"), std::string::npos) << r.out;
    }
    test::CommandOutput import(const std::string& input, std::vector<std::string> extra = {}) {
        std::vector<std::string> argv = {brotr_bin().string(), "import", "--store", store};
        argv.insert(argv.end(), extra.begin(), extra.end());
        return run_command(argv, input);
    }
    test::CommandOutput export_events(std::vector<std::string> extra = {}, const std::string& from = {}) {
        std::vector<std::string> argv = {brotr_bin().string(), "export", "--store", from.empty() ? store : from};
        argv.insert(argv.end(), extra.begin(), extra.end());
        return run_command(argv);
    }

    TempDir dir;
    std::string store = (dir / "store").string();
    test::EventGenerator gen{77, 20};
};

TEST_F(ImportCli, CountsInvalidLinesByReasonAndStoresOnlyValidEvents) {
    auto events = gen.batch(30);
    std::string input = test::to_jsonl(events);
    Event wrong_id = gen.next();
    wrong_id.content += "changed";
    Event bad_sig = gen.next();
    bad_sig.sig[3] ^= 0x10;
    input += to_json(wrong_id) + "\n";
    input += to_json(bad_sig) + "\n";
    input += "{not json\n";
    input += "[1,2,3]\n";
    input += R"({"id":"00","pubkey":"00"})" "\n";
    input += "\n   \n";                                       // blank lines: not events, not counted
    input += to_json(events[0]) + "\r\n";                      // CRLF, and a duplicate
    input += std::string(5u << 20, 'x') + "\n";                // oversized (limit 4 MiB)
    input += to_json(events[1]);                               // no final newline

    auto r = import(input);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string summary = last_line(r.out);
    EXPECT_EQ(summary,
              "import: read=38 stored=30 duplicates=2 links=0 invalid=6 (malformed_json=1 not_an_object=1 bad_id=1 "
              "id_mismatch=1 invalid_signature=1 oversized_line=1)");
    StoreOptions ro;
    ro.mode = OpenMode::read_only;
    Store s = Store::open(store, ro);
    EXPECT_EQ(s.summary().events, 30u);
    EXPECT_FALSE(s.get_event(wrong_id.id).has_value());
    EXPECT_FALSE(s.get_event(bad_sig.id).has_value());
    EXPECT_TRUE(s.check().ok());
}

TEST_F(ImportCli, RelayOptionLinksEveryEvent) {
    auto events = gen.batch(10);
    auto bad = import(test::to_jsonl(events), {"--relay", "http://not-a-relay"});
    EXPECT_EQ(bad.exit_code, 2);
    EXPECT_NE(bad.err.find("not a relay URL"), std::string::npos) << bad.err;

    auto r = import(test::to_jsonl(events), {"--relay", "Relay.Example.COM"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(last_line(r.out), "import: read=10 stored=10 duplicates=0 links=10 invalid=0");
    auto again = import(test::to_jsonl(events), {"--relay", "wss://relay.example.com"});
    EXPECT_EQ(last_line(again.out), "import: read=10 stored=0 duplicates=10 links=0 invalid=0");
    auto other = import(test::to_jsonl(events), {"--relay", "wss://other.example.com"});
    EXPECT_EQ(last_line(other.out), "import: read=10 stored=0 duplicates=10 links=10 invalid=0");

    Store s = Store::open(store);
    ASSERT_EQ(s.relays().size(), 2u);
    EXPECT_EQ(s.relays()[1].url, "wss://relay.example.com");
    EXPECT_EQ(s.event_relays(events[0].id).size(), 2u);
}

TEST_F(ImportCli, AStoredEventsLineIsADuplicateOnlyWhenItIsAWellFormedEvent) {
    auto events = gen.batch(3);
    ASSERT_EQ(import(test::to_jsonl(events)).exit_code, 0);
    const std::string line = to_json(events[0]);
    std::string input;
    input += line + "x\n";                                                        // trailing garbage
    input += line.substr(0, line.size() - 1) + ",\"kind\":1}\n";                 // kind twice
    input += "{\"x\":1,\"x\":2," + line.substr(1) + "\n";                       // an unknown field twice
    std::string other_content = line;
    other_content.replace(other_content.find("\"content\":\"") + 11, 0, "edited ");
    input += other_content + "\n";  // same id and sig: the stored event, not verified again
    input += to_json(events[1]) + "\n";
    auto r = import(input);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(last_line(r.out),
              "import: read=5 stored=0 duplicates=2 links=0 invalid=3 (malformed_json=1 duplicate_field=2)");
    Store s = Store::open(store);
    EXPECT_EQ(*s.get_event(events[0].id), events[0]);
    EXPECT_TRUE(s.check().ok());
}

TEST_F(ImportCli, NoVerifyStoresWhatItIsGiven) {
    Event forged = gen.next();
    forged.sig[0] ^= 1;
    auto r = import(to_json(forged) + "\n", {"--no-verify"});
    EXPECT_EQ(last_line(r.out), "import: read=1 stored=1 duplicates=0 links=0 invalid=0");
    auto checked = import(to_json(gen.next()) + "\n{\n");
    EXPECT_EQ(last_line(checked.out), "import: read=2 stored=1 duplicates=0 links=0 invalid=1 (malformed_json=1)");
}

TEST_F(ImportCli, ReportsProgressOnStderrAfterEachCommit) {
    // Every batch committed at once, through the log (--commit-interval 0)
    // or as ingested SST files (--commit-size 1).
    for (const char* option : {"--commit-interval", "--commit-size"}) {
        const std::string store_path = (dir / (option + 2)).string();
        ASSERT_EQ(run_command({brotr_bin().string(), "init", "--store", store_path}).exit_code, 0);
        const auto events = gen.batch(20);
        auto r = run_command({brotr_bin().string(), "import", "--store", store_path, "--batch-size", "5",
                              "--progress-interval", "0", option, option == std::string("--commit-size") ? "1" : "0"},
                             test::to_jsonl(events));
        ASSERT_EQ(r.exit_code, 0) << r.err;
        auto progress = lines_of(r.err);
        ASSERT_EQ(progress.size(), 4u) << r.err;
        EXPECT_EQ(progress[0].rfind("import: progress read=5 stored=5", 0), 0u) << progress[0];
        EXPECT_EQ(progress[3].rfind("import: progress read=20 stored=20", 0), 0u) << progress[3];
        Store s = Store::open(store_path);
        for (const auto& e : events) EXPECT_EQ(s.get_event(e.id), e);
        EXPECT_TRUE(s.check().ok());
    }
}

TEST_F(ImportCli, ByDefaultAShortInputIsOneCommit) {
    auto r = import(test::to_jsonl(gen.batch(20)), {"--batch-size", "5", "--progress-interval", "0"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto progress = lines_of(r.err);
    ASSERT_EQ(progress.size(), 1u) << r.err;
    EXPECT_EQ(progress[0].rfind("import: progress read=20 stored=20", 0), 0u) << progress[0];
}

TEST_F(ImportCli, RefusesBadCommitOptions) {
    for (const std::vector<std::string>& bad : std::vector<std::vector<std::string>>{
             {"--commit-size", "0"}, {"--commit-size", "lots"}, {"--commit-size", "-5"}, {"--commit-interval", "-1"},
             {"--commit-interval", "soon"}, {"--commit-interval", "1e9"}}) {
        auto r = import(test::to_jsonl(gen.batch(1)), bad);
        EXPECT_NE(r.exit_code, 0) << bad[0] << " " << bad[1];
        EXPECT_NE(r.err.find(bad[0]), std::string::npos) << r.err;
    }
    Store s = Store::open(store);
    EXPECT_EQ(s.summary().events, 0u);
}

// An import commits SST files compressed for speed; `brotr compact` rewrites
// them, and the store answers exactly as before.
TEST_F(ImportCli, CompactRewritesTheStoreAndKeepsEveryEvent) {
    auto r = import(test::to_jsonl(gen.batch(3000)), {"--relay", "wss://relay.example.com", "--batch-size", "500", "--commit-size", "1"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto exported = export_events();
    ASSERT_EQ(exported.exit_code, 0) << exported.err;
    ASSERT_EQ(lines_of(exported.out).size(), 3000u);

    auto c = run_command({brotr_bin().string(), "compact", "--store", store});
    ASSERT_EQ(c.exit_code, 0) << c.err;
    double before = 0, after = 0;
    ASSERT_EQ(std::sscanf(c.out.c_str(), ("compact: " + store + " from %lf MB to %lf MB").c_str(), &before, &after), 2) << c.out;
    EXPECT_LT(after, before) << c.out;

    const auto again = export_events();
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_EQ(again.out, exported.out);
    Store s = Store::open(store);
    const auto report = s.check();
    EXPECT_TRUE(report.ok()) << (report.problems.empty() ? "" : report.problems.front());
    EXPECT_EQ(s.summary().event_relays, 3000u);
}

TEST_F(ImportCli, CompactFailsClearlyOnAMissingStoreOrOneInUse) {
    auto missing = run_command({brotr_bin().string(), "compact", "--store", (dir / "nothing").string()});
    EXPECT_EQ(missing.exit_code, 1);
    EXPECT_NE(missing.err.find("brotr compact: error: no brotr store"), std::string::npos) << missing.err;

    Store writer = Store::open(store);  // another process's writer holds the store
    auto busy = run_command({brotr_bin().string(), "compact", "--store", store});
    EXPECT_EQ(busy.exit_code, 1);
    EXPECT_NE(busy.err.find("brotr compact: error:"), std::string::npos) << busy.err;
}

TEST_F(ImportCli, ImportExportImportRoundTripsExactly) {
    auto events = gen.batch(200);
    auto r = import(test::to_jsonl(events));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto first = export_events();
    ASSERT_EQ(first.exit_code, 0) << first.err;

    // Same events as the input, in our JSON form.
    auto exported = lines_of(first.out);
    std::multiset<std::string> expected;
    for (const auto& e : events) expected.insert(to_json(e));
    EXPECT_EQ(std::multiset<std::string>(exported.begin(), exported.end()), expected);
    // Newest first.
    std::int64_t previous = INT64_MAX;
    for (const auto& line : exported) {
        auto created = nlohmann::json::parse(line)["created_at"].get<std::int64_t>();
        EXPECT_LE(created, previous);
        previous = created;
    }

    const std::string second_store = (dir / "second").string();
    ASSERT_EQ(run_command({brotr_bin().string(), "init", "--store", second_store}).exit_code, 0);
    auto r2 = run_command({brotr_bin().string(), "import", "--store", second_store}, first.out);
    EXPECT_EQ(last_line(r2.out), "import: read=200 stored=200 duplicates=0 links=0 invalid=0");
    auto second = export_events({}, second_store);
    EXPECT_EQ(second.out, first.out);  // byte for byte
}

TEST_F(ImportCli, ExportFilters) {
    auto events = gen.batch(120);
    ASSERT_EQ(import(test::to_jsonl(events)).exit_code, 0);
    auto r = export_events({"--kinds", "1,7", "--limit", "5"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto lines = lines_of(r.out);
    ASSERT_EQ(lines.size(), 5u);
    for (const auto& l : lines) {
        int kind = nlohmann::json::parse(l)["kind"].get<int>();
        EXPECT_TRUE(kind == 1 || kind == 7) << l;
    }
    auto by_id = export_events({"--ids", to_hex(events[3].id)});
    EXPECT_EQ(by_id.out, to_json(events[3]) + "\n");
    auto by_author = export_events({"--authors", to_hex(events[3].pubkey), "--until", std::to_string(events[3].created_at)});
    EXPECT_NE(by_author.out.find(to_json(events[3])), std::string::npos);

    auto bad_id = export_events({"--ids", "xyz"});
    EXPECT_EQ(bad_id.exit_code, 2);
    EXPECT_NE(bad_id.err.find("--ids"), std::string::npos) << bad_id.err;
    auto bad_kind = export_events({"--kinds", "70000"});
    EXPECT_EQ(bad_kind.exit_code, 2);
    auto bad_tag = export_events({"--tag", "eee"});
    EXPECT_EQ(bad_tag.exit_code, 2);
    EXPECT_NE(bad_tag.err.find("<letter>=<value>"), std::string::npos) << bad_tag.err;
}

TEST(InitCli, VariantIsFixedAtCreation) {
    TempDir dir;
    const std::string store = (dir / "lil").string();
    auto created = run_command({brotr_bin().string(), "init", "--store", store, "--variant", "lilbrotr"});
    ASSERT_EQ(created.exit_code, 0) << created.err;
    auto again = run_command({brotr_bin().string(), "init", "--store", store, "--variant", "lilbrotr"});
    EXPECT_EQ(again.exit_code, 0);
    EXPECT_NE(again.out.find("already exists"), std::string::npos) << again.out;
    auto wrong = run_command({brotr_bin().string(), "init", "--store", store, "--variant", "bigbrotr"});
    EXPECT_EQ(wrong.exit_code, 1);
    EXPECT_NE(wrong.err.find("lilbrotr"), std::string::npos) << wrong.err;
    EXPECT_NE(wrong.err.find("bigbrotr"), std::string::npos) << wrong.err;
    auto unknown = run_command({brotr_bin().string(), "init", "--store", store, "--variant", "midbrotr"});
    EXPECT_EQ(unknown.exit_code, 2);
}

TEST(InitCli, ImportNeedsAStore) {
    TempDir dir;
    auto r = run_command({brotr_bin().string(), "import", "--store", (dir / "none").string()}, "{}\n");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("brotr init"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace brotr
