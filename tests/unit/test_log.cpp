// Structured log records: line format, quoting of untrusted values, levels.
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <sstream>
#include <string>

#include <spdlog/sinks/ostream_sink.h>

#include "brotr/log.hpp"
#include "util/log_sink.hpp"

namespace brotr {
namespace {

// Captures records into a string for the duration of a test.
class LogCapture : public ::testing::Test {
protected:
    void SetUp() override {
        saved_level_ = log::level();
        log::set_sink(std::make_shared<spdlog::sinks::ostream_sink_mt>(out_));
        log::set_level(log::Level::trace);
    }
    void TearDown() override {
        log::set_sink(nullptr);
        log::set_level(saved_level_);
    }
    std::string text() const { return out_.str(); }

    std::ostringstream out_;
    log::Level saved_level_ = log::Level::info;
};

TEST_F(LogCapture, RecordHasTimeLevelServiceEventAndFields) {
    log::info("synchronizer", "cycle_completed",
              {{"synced_relays", 12}, {"synced_events", 5301u}, {"duration", 41.2}, {"ok", true}});
    const std::regex line(
        R"(^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} INFO synchronizer: cycle_completed )"
        R"(synced_relays=12 synced_events=5301 duration=41.2 ok=true\n$)");
    EXPECT_TRUE(std::regex_match(text(), line)) << text();
}

TEST_F(LogCapture, LevelNamesAreUpperCase) {
    log::trace("s", "a");
    log::debug("s", "b");
    log::warn("s", "c");
    log::error("s", "d");
    const std::string t = text();
    EXPECT_NE(t.find(" TRACE s: a\n"), std::string::npos) << t;
    EXPECT_NE(t.find(" DEBUG s: b\n"), std::string::npos) << t;
    EXPECT_NE(t.find(" WARN s: c\n"), std::string::npos) << t;
    EXPECT_NE(t.find(" ERROR s: d\n"), std::string::npos) << t;
}

TEST_F(LogCapture, ValuesThatWouldBreakTheSyntaxAreQuotedAndEscaped) {
    const std::string notice = "rate limited\nINFO fake: forged=1";
    log::warn("monitor", "notice",
              {{"relay", "wss://relay.example.com"},
               {"message", notice},
               {"quote", "say \"hi\""},
               {"eq", "a=b"},
               {"backslash", "c:\\dir"},
               {"empty", ""},
               {"control", std::string("x\x01y\ttab\r", 8)},
               {"unicode", "caf\xC3\xA9"}});
    const std::string t = text();
    EXPECT_NE(t.find(" relay=wss://relay.example.com "), std::string::npos) << t;
    EXPECT_NE(t.find(R"( message="rate limited\nINFO fake: forged=1")"), std::string::npos) << t;
    EXPECT_NE(t.find(R"( quote="say \"hi\"")"), std::string::npos) << t;
    EXPECT_NE(t.find(R"( eq="a=b")"), std::string::npos) << t;
    EXPECT_NE(t.find(R"( backslash="c:\\dir")"), std::string::npos) << t;
    EXPECT_NE(t.find(R"( empty="")"), std::string::npos) << t;
    EXPECT_NE(t.find(R"( control="x\x01y\ttab\r")"), std::string::npos) << t;
    EXPECT_NE(t.find(" unicode=caf\xC3\xA9"), std::string::npos) << t;
    // One record, one line: the embedded newline did not start a new record.
    EXPECT_EQ(std::count(t.begin(), t.end(), '\n'), 1) << t;
}

TEST_F(LogCapture, NumbersOfEveryWidth) {
    log::info("s", "numbers",
              {{"i8", static_cast<signed char>(-5)},
               {"u16", static_cast<unsigned short>(65535)},
               {"i64", static_cast<long long>(-9223372036854775807LL - 1)},
               {"u64", static_cast<unsigned long long>(18446744073709551615ULL)},
               {"f", 0.5f},
               {"d", 3.0}});
    const std::string t = text();
    EXPECT_NE(t.find(" i8=-5 u16=65535 i64=-9223372036854775808 u64=18446744073709551615 f=0.5 d=3\n"),
              std::string::npos)
        << t;
}

TEST_F(LogCapture, FieldListFromRunTimeValues) {
    log::FieldList fields{{"synced_relays", "3"}, {"note", "two words"}};
    log::info("synchronizer", "cycle_completed", fields);
    EXPECT_NE(text().find("synchronizer: cycle_completed synced_relays=3 note=\"two words\"\n"), std::string::npos)
        << text();
}

TEST_F(LogCapture, RecordsBelowTheLevelAreDropped) {
    log::set_level(log::Level::warn);
    EXPECT_FALSE(log::enabled(log::Level::info));
    EXPECT_TRUE(log::enabled(log::Level::warn));
    log::debug("s", "hidden_debug");
    log::info("s", "hidden_info", log::FieldList{{"k", "v"}});
    log::warn("s", "shown_warn");
    log::error("s", "shown_error");
    const std::string t = text();
    EXPECT_EQ(t.find("hidden"), std::string::npos) << t;
    EXPECT_NE(t.find("shown_warn"), std::string::npos) << t;
    EXPECT_NE(t.find("shown_error"), std::string::npos) << t;

    log::set_level(log::Level::off);
    log::error("s", "silenced");
    EXPECT_EQ(text().find("silenced"), std::string::npos);
}

TEST(LogLevel, NamesRoundTrip) {
    for (auto level : {log::Level::trace, log::Level::debug, log::Level::info, log::Level::warn, log::Level::error,
                       log::Level::off}) {
        EXPECT_EQ(log::level_from_string(log::to_string(level)), level);
    }
    EXPECT_EQ(log::level_from_string("WARNING"), log::Level::warn);
    EXPECT_EQ(log::level_from_string("Info"), log::Level::info);
    EXPECT_FALSE(log::level_from_string("verbose"));
    EXPECT_FALSE(log::level_from_string(""));
}

}  // namespace
}  // namespace brotr
