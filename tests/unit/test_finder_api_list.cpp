// Parsing an API source's answer: a JSON array of relay URL strings.
#include <gtest/gtest.h>

#include "services/finder.hpp"
#include "services/finder_api.hpp"

namespace brotr::services {
namespace {

TEST(FinderApiList, ArrayOfStrings) {
    ApiRelayList l = parse_api_relay_list(R"(["wss://a.example", "wss://b.example/", "c.example"])");
    ASSERT_TRUE(l.ok) << l.error;
    EXPECT_EQ(l.urls, (std::vector<std::string>{"wss://a.example", "wss://b.example/", "c.example"}));
    EXPECT_EQ(l.non_strings, 0u);
}

TEST(FinderApiList, NonStringElementsAreSkippedAndCounted) {
    ApiRelayList l = parse_api_relay_list(R"(["wss://a.example", 1, null, {"url":"wss://x"}, ["wss://y"], "wss://z"])");
    ASSERT_TRUE(l.ok);
    EXPECT_EQ(l.urls, (std::vector<std::string>{"wss://a.example", "wss://z"}));
    EXPECT_EQ(l.non_strings, 4u);
}

TEST(FinderApiList, EmptyArray) {
    ApiRelayList l = parse_api_relay_list(" [ ] ");
    EXPECT_TRUE(l.ok);
    EXPECT_TRUE(l.urls.empty());
}

TEST(FinderApiList, MalformedBodiesFailTheSource) {
    for (const char* body : {"", "{\"relays\":[\"wss://a\"]}", "\"wss://a\"", "[\"wss://a\",", "<html></html>",
                             "[\"wss://a\"] [\"wss://b\"]", "[\"\\u0000\"]", "[\"\xff\"]"}) {
        ApiRelayList l = parse_api_relay_list(body);
        EXPECT_FALSE(l.ok) << body;
        EXPECT_FALSE(l.error.empty()) << body;
        EXPECT_TRUE(l.urls.empty()) << body;
    }
}

TEST(FinderState, CursorParsing) {
    EXPECT_EQ(Finder::parse_cursor(R"({"changelog_cursor": 42})"), 42u);
    EXPECT_EQ(Finder::parse_cursor(R"({"other":1,"changelog_cursor":7})"), 7u);
    EXPECT_EQ(Finder::parse_cursor("{}"), 0u);
    EXPECT_EQ(Finder::parse_cursor("not json"), 0u);
    EXPECT_EQ(Finder::parse_cursor(R"({"changelog_cursor":-5})"), 0u);
    EXPECT_EQ(Finder::parse_cursor(R"({"changelog_cursor":"9"})"), 0u);
    EXPECT_EQ(Finder::parse_cursor(R"([1])"), 0u);
}

}  // namespace
}  // namespace brotr::services
