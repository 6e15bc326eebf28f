// REQ filters: JSON text, matching events, and the client messages.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "brotr/hex.hpp"
#include "brotr/relay_url.hpp"
#include "net/client_message.hpp"
#include "net/filter.hpp"

using brotr::Event;
using brotr::net::Filter;

namespace {

Event event_at(std::int64_t created_at, std::uint16_t kind = 1) {
    Event e;
    e.created_at = created_at;
    e.kind = kind;
    e.id.fill(0xab);
    e.pubkey.fill(0xcd);
    e.tags = {{"e", "note1"}, {"p", "someone", "wss://hint"}, {"t"}};
    return e;
}

TEST(Filter, JsonHasOnlyTheFieldsThatAreSet) {
    EXPECT_EQ(Filter{}.to_json(), "{}");
    Filter f{.kinds = {1, 30023}, .since = 10, .until = 20, .limit = 500};
    EXPECT_EQ(f.to_json(), R"({"kinds":[1,30023],"since":10,"until":20,"limit":500})");
    Filter g{.ids = {"aa"}, .authors = {"bb", "cc"}, .tags = {{.name = "e", .values = {"x\"y"}}}};
    EXPECT_EQ(g.to_json(), R"({"ids":["aa"],"authors":["bb","cc"],"#e":["x\"y"]})");
    // Valid JSON whatever the values hold.
    Filter h{.tags = {{.name = "t", .values = {std::string("\n\x01\\", 3)}}}};
    auto parsed = nlohmann::json::parse(h.to_json());
    EXPECT_EQ(parsed["#t"][0].get<std::string>(), std::string("\n\x01\\", 3));
}

TEST(Filter, WindowBoundsAreInclusive) {
    Filter f{.since = 100, .until = 200};
    EXPECT_TRUE(f.matches(event_at(100)));
    EXPECT_TRUE(f.matches(event_at(200)));
    EXPECT_FALSE(f.matches(event_at(99)));
    EXPECT_FALSE(f.matches(event_at(201)));
}

TEST(Filter, KindsIdsAuthorsAndTags) {
    Event e = event_at(150, 7);
    EXPECT_TRUE((Filter{.kinds = {1, 7}}.matches(e)));
    EXPECT_FALSE((Filter{.kinds = {1}}.matches(e)));
    EXPECT_TRUE((Filter{.ids = {brotr::to_hex(e.id)}}.matches(e)));
    EXPECT_TRUE((Filter{.ids = {"abab"}}.matches(e))) << "legacy prefix";
    EXPECT_FALSE((Filter{.ids = {std::string(64, '0')}}.matches(e)));
    EXPECT_TRUE((Filter{.authors = {"00", brotr::to_hex(e.pubkey)}}.matches(e)));
    EXPECT_FALSE((Filter{.authors = {brotr::to_hex(e.id)}}.matches(e)));
    EXPECT_TRUE((Filter{.tags = {{.name = "e", .values = {"other", "note1"}}}}.matches(e)));
    EXPECT_TRUE((Filter{.tags = {{.name = "p", .values = {"someone"}}}}.matches(e)));
    EXPECT_FALSE((Filter{.tags = {{.name = "e", .values = {"someone"}}}}.matches(e)));
    EXPECT_FALSE((Filter{.tags = {{.name = "t", .values = {""}}}}.matches(e))) << "a tag without a value";
    // Every condition must hold.
    EXPECT_FALSE((Filter{.kinds = {7}, .tags = {{.name = "e", .values = {"nope"}}}}.matches(e)));
}

TEST(ClientMessage, ReqCloseEventAuth) {
    std::vector<Filter> filters = {Filter{.kinds = {1}}, Filter{.limit = 2}};
    EXPECT_EQ(brotr::net::req_message("s\"1", filters), R"(["REQ","s\"1",{"kinds":[1]},{"limit":2}])");
    EXPECT_EQ(brotr::net::close_message("s1"), R"(["CLOSE","s1"])");

    Event e = event_at(5);
    auto event_msg = nlohmann::json::parse(brotr::net::event_message(e));
    EXPECT_EQ(event_msg[0], "EVENT");
    EXPECT_EQ(event_msg[1]["id"], brotr::to_hex(e.id));
    EXPECT_EQ(event_msg[1]["created_at"], 5);

    auto relay = brotr::RelayUrl::parse("wss://relay.example.com/nostr");
    ASSERT_TRUE(relay);
    Event auth = brotr::net::auth_event_template(*relay, "chal", 1700000000);
    EXPECT_EQ(auth.kind, 22242);
    EXPECT_EQ(auth.created_at, 1700000000);
    EXPECT_EQ(auth.content, "");
    EXPECT_EQ(auth.tags, (brotr::Tags{{"relay", "wss://relay.example.com/nostr"}, {"challenge", "chal"}}));
    auto auth_msg = nlohmann::json::parse(brotr::net::auth_message(auth));
    EXPECT_EQ(auth_msg[0], "AUTH");
    EXPECT_EQ(auth_msg[1]["kind"], 22242);
}

}  // namespace
