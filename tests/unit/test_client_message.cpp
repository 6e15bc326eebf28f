// Messages from a client to a relay: REQ (with its filters' JSON), CLOSE,
// EVENT and AUTH.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "brotr/hex.hpp"
#include "brotr/relay_url.hpp"
#include "net/client_message.hpp"

using brotr::Event;
using brotr::Filter;

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

TEST(ClientMessage, ReqCloseEventAuth) {
    std::vector<Filter> filters = {Filter{.kinds = std::vector<std::uint16_t>{1}}, Filter{.limit = 2}};
    EXPECT_EQ(brotr::net::req_message("s\"1", filters), R"(["REQ","s\"1",{"kinds":[1]},{"limit":2}])");
    // Only the fields that are set, in NIP-01 order, tags by letter.
    Filter f{.kinds = std::vector<std::uint16_t>{1, 30023}, .since = 10, .until = 20, .limit = 500};
    f.tags['t'] = {std::string("\n\x01\\", 3)};
    f.tags['e'] = {"x\"y"};
    EXPECT_EQ(brotr::net::req_message("s", std::vector<Filter>{f}),
              R"(["REQ","s",{"kinds":[1,30023],"#e":["x\"y"],"#t":["\n\u0001\\"],"since":10,"until":20,"limit":500}])");
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
