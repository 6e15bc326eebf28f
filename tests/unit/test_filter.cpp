// NIP-01 filters: strict JSON parsing with clear errors, JSON output, and
// matching events.
#include <gtest/gtest.h>

#include "brotr/filter.hpp"
#include "brotr/hex.hpp"

namespace brotr {
namespace {

const std::string kIdA = "813be683d6cb8d95a96ace40c8c6eb8c97b87cfa63ee7dcfb82d6c5b59da3265";
const std::string kIdB = "5c83da77af1dec6d7289834998ad7aafbd9e2191396d75ec3cc27f5a77226f36";
const std::string kPub = "06df44c37a99b83a71ecb5884714b1174f63563c842e2ff98a64b1538e2f6fba";

Bytes32 bytes(const std::string& hex) { return *parse_hex_array<32>(hex); }

Filter parse_ok(const std::string& json) {
    const auto parsed = parse_filter(json);
    EXPECT_TRUE(parsed.filter.has_value()) << json << ": " << parsed.error;
    EXPECT_EQ(parsed.error, "");
    return parsed.filter.value_or(Filter{});
}

std::string error_of(const std::string& json) {
    const auto parsed = parse_filter(json);
    EXPECT_FALSE(parsed.filter.has_value()) << json;
    return parsed.error;
}

Event sample_event() {
    Event e;
    e.id = bytes(kIdA);
    e.pubkey = bytes(kPub);
    e.created_at = 1700000000;
    e.kind = 1;
    e.tags = {{"e", kIdB, "wss://relay.example.com"}, {"t", "nostr"}, {"p"}, {"T", "Upper"}};
    return e;
}

TEST(FilterParse, AllFields) {
    const Filter f = parse_ok(R"({"ids":[")" + kIdA + R"("],"authors":[")" + kPub + R"(",")" + kIdB +
                              R"("],"kinds":[0,1,65535],"#e":[")" + kIdB +
                              R"("],"#t":["nostr","bitcoin"],"since":1,"until":1800000000,"limit":500})");
    ASSERT_TRUE(f.ids && f.authors && f.kinds);
    EXPECT_EQ(*f.ids, std::vector<Bytes32>{bytes(kIdA)});
    EXPECT_EQ(*f.authors, (std::vector<Bytes32>{bytes(kPub), bytes(kIdB)}));
    EXPECT_EQ(*f.kinds, (std::vector<std::uint16_t>{0, 1, 65535}));
    EXPECT_EQ(f.tags.at('e'), std::vector<std::string>{kIdB});
    EXPECT_EQ(f.tags.at('t'), (std::vector<std::string>{"nostr", "bitcoin"}));
    EXPECT_EQ(f.since, 1);
    EXPECT_EQ(f.until, 1800000000);
    EXPECT_EQ(f.limit, 500u);
}

TEST(FilterParse, EmptyObjectIsNoCondition) {
    const Filter f = parse_ok("{}");
    EXPECT_EQ(f, Filter{});
    EXPECT_TRUE(f.matches(sample_event()));
}

TEST(FilterParse, ClearErrors) {
    EXPECT_EQ(error_of(""), "not valid JSON");
    EXPECT_EQ(error_of("{\"kinds\":[1,}"), "not valid JSON");
    EXPECT_EQ(error_of("{} x"), "not valid JSON");
    EXPECT_EQ(error_of("[]"), "a filter must be a JSON object");
    EXPECT_EQ(error_of("\"{}\""), "a filter must be a JSON object");
    EXPECT_EQ(error_of(R"({"ids":"abc"})"), "ids must be an array");
    EXPECT_EQ(error_of(R"({"ids":["abc"]})"), "ids[0] must be 64 lower-case hex characters");
    EXPECT_EQ(error_of(R"({"authors":[")" + kPub + R"(",1]})"), "authors[1] must be 64 lower-case hex characters");
    EXPECT_EQ(error_of(R"({"authors":["06DF44C37A99B83A71ECB5884714B1174F63563C842E2FF98A64B1538E2F6FBA"]})"),
              "authors[0] must be 64 lower-case hex characters");
    EXPECT_EQ(error_of(R"({"kinds":[1,65536]})"), "kinds[1] must be an integer between 0 and 65535");
    EXPECT_EQ(error_of(R"({"kinds":[-1]})"), "kinds[0] must be an integer between 0 and 65535");
    EXPECT_EQ(error_of(R"({"kinds":[1.0]})"), "kinds[0] must be an integer between 0 and 65535");
    EXPECT_EQ(error_of(R"({"kinds":["1"]})"), "kinds[0] must be an integer between 0 and 65535");
    EXPECT_EQ(error_of(R"({"kinds":1})"), "kinds must be an array");
    EXPECT_EQ(error_of(R"({"since":-5})"), "since must be a non-negative integer (unix seconds)");
    EXPECT_EQ(error_of(R"({"until":1.5})"), "until must be a non-negative integer (unix seconds)");
    EXPECT_EQ(error_of(R"({"until":"now"})"), "until must be a non-negative integer (unix seconds)");
    EXPECT_EQ(error_of(R"({"since":9223372036854775808})"), "since must be a non-negative integer (unix seconds)");
    EXPECT_EQ(error_of(R"({"limit":-1})"), "limit must be a non-negative integer");
    EXPECT_EQ(error_of(R"({"limit":null})"), "limit must be a non-negative integer");
    EXPECT_EQ(error_of(R"({"#e":"x"})"), "#e must be an array");
    EXPECT_EQ(error_of(R"({"#t":["a",2]})"), "#t[1] must be a string");
    EXPECT_EQ(error_of(R"({"#emoji":["x"]})"), "tag filter \"#emoji\": a tag filter key is '#' and one letter");
    EXPECT_EQ(error_of(R"({"#":["x"]})"), "tag filter \"#\": a tag filter key is '#' and one letter");
    EXPECT_EQ(error_of(R"({"#1":["x"]})"), "tag filter \"#1\": a tag filter key is '#' and one letter");
    EXPECT_EQ(error_of(R"({"search":"x"})"), "unknown filter field \"search\"");
    EXPECT_EQ(error_of(R"({"kind":[1]})"), "unknown filter field \"kind\"");
    EXPECT_EQ(error_of("{\"#t\":[\"\xff\"]}"), "not valid JSON");
}

TEST(FilterJson, OutputIsOrderedAndCompact) {
    Filter f;
    f.limit = 10;
    f.until = 20;
    f.since = 5;
    f.tags['t'] = {"a\"b"};
    f.tags['e'] = {kIdB};
    f.kinds = std::vector<std::uint16_t>{1, 7};
    f.authors = std::vector<Bytes32>{bytes(kPub)};
    f.ids = std::vector<Bytes32>{};
    EXPECT_EQ(to_json(f), R"({"ids":[],"authors":[")" + kPub + R"("],"kinds":[1,7],"#e":[")" + kIdB +
                              R"("],"#t":["a\"b"],"since":5,"until":20,"limit":10})");
    EXPECT_EQ(to_json(Filter{}), "{}");
}

TEST(FilterJson, RoundTrips) {
    const std::vector<std::string> texts = {
        "{}",
        R"({"kinds":[30023],"#d":["post-1"],"limit":0})",
        R"({"ids":[")" + kIdA + R"("],"authors":[],"#T":["Upper","ünï"],"since":0,"until":9223372036854775807})",
    };
    for (const auto& text : texts) {
        const Filter f = parse_ok(text);
        EXPECT_EQ(to_json(f), text);
        EXPECT_EQ(parse_ok(to_json(f)), f);
    }
}

TEST(FilterMatch, EachCondition) {
    const Event e = sample_event();
    EXPECT_TRUE(parse_ok(R"({"ids":[")" + kIdB + R"(",")" + kIdA + R"("]})").matches(e));
    EXPECT_FALSE(parse_ok(R"({"ids":[")" + kIdB + R"("]})").matches(e));
    EXPECT_TRUE(parse_ok(R"({"authors":[")" + kPub + R"("]})").matches(e));
    EXPECT_FALSE(parse_ok(R"({"authors":[")" + kIdA + R"("]})").matches(e));
    EXPECT_TRUE(parse_ok(R"({"kinds":[0,1]})").matches(e));
    EXPECT_FALSE(parse_ok(R"({"kinds":[7]})").matches(e));
    EXPECT_TRUE(parse_ok(R"({"since":1700000000})").matches(e));
    EXPECT_FALSE(parse_ok(R"({"since":1700000001})").matches(e));
    EXPECT_TRUE(parse_ok(R"({"until":1700000000})").matches(e));
    EXPECT_FALSE(parse_ok(R"({"until":1699999999})").matches(e));
    EXPECT_TRUE(parse_ok(R"({"limit":0})").matches(e));  // limit is not a condition
}

TEST(FilterMatch, EmptyListsMatchNothing) {
    const Event e = sample_event();
    EXPECT_FALSE(parse_ok(R"({"ids":[]})").matches(e));
    EXPECT_FALSE(parse_ok(R"({"authors":[]})").matches(e));
    EXPECT_FALSE(parse_ok(R"({"kinds":[]})").matches(e));
    EXPECT_FALSE(parse_ok(R"({"#t":[]})").matches(e));
}

TEST(FilterMatch, TagsMatchTheFirstValueOfSingleLetterTags) {
    const Event e = sample_event();
    EXPECT_TRUE(parse_ok(R"({"#e":[")" + kIdB + R"("]})").matches(e));
    EXPECT_TRUE(parse_ok(R"({"#t":["bitcoin","nostr"]})").matches(e));
    EXPECT_FALSE(parse_ok(R"({"#t":["Nostr"]})").matches(e));                  // values are case-sensitive
    EXPECT_FALSE(parse_ok(R"({"#e":["wss://relay.example.com"]})").matches(e));  // only the first value counts
    EXPECT_FALSE(parse_ok(R"({"#p":[""]})").matches(e));                       // ["p"] has no value
    EXPECT_TRUE(parse_ok(R"({"#T":["Upper"]})").matches(e));                   // letters are case-sensitive
    EXPECT_FALSE(parse_ok(R"({"#t":["Upper"]})").matches(e));
    EXPECT_FALSE(parse_ok(R"({"#x":["nostr"]})").matches(e));
}

TEST(FilterMatch, AllConditionsMustHold) {
    const Event e = sample_event();
    const std::string base = R"("kinds":[1],"authors":[")" + kPub + R"("],"#t":["nostr"])";
    EXPECT_TRUE(parse_ok("{" + base + R"(,"since":1,"until":1800000000})").matches(e));
    EXPECT_FALSE(parse_ok("{" + base + R"(,"#e":["x"]})").matches(e));
    EXPECT_FALSE(parse_ok("{" + base + R"(,"kinds":[2]})").matches(e));
    EXPECT_FALSE(parse_ok("{" + base + R"(,"until":5})").matches(e));
}

}  // namespace
}  // namespace brotr
