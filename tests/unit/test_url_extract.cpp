// Relay URLs found in events (finder's event scan) and their screening
// before they enter the registry (hostile URLs included).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "services/finder_url_policy.hpp"
#include "services/relay_url_extract.hpp"

namespace brotr::services {
namespace {

std::vector<std::string> extract(const Event& e) {
    std::vector<std::string> out;
    extract_relay_urls(e, [&](std::string_view s) { out.emplace_back(s); });
    return out;
}

Event event(std::uint16_t kind, Tags tags, std::string content = "") {
    Event e;
    e.kind = kind;
    e.tags = std::move(tags);
    e.content = std::move(content);
    return e;
}

TEST(UrlExtract, Nip65RelayList) {
    Event e = event(10002, {{"r", "wss://a.example"}, {"r", "wss://b.example/", "write"}, {"r", "ws://c.example", "read"},
                            {"r"}, {"r", "not a url"}, {"r", "a.example"}});
    EXPECT_EQ(extract(e), (std::vector<std::string>{"wss://a.example", "wss://b.example/", "ws://c.example"}));
}

TEST(UrlExtract, ContactListRelayMap) {
    Event e = event(3, {{"p", "ab"}},
                    R"({"wss://x.example":{"read":true,"write":true},"WSS://Y.example/":{"read":false},"https://z":{}})");
    // jsonb key order (length, then bytes); the non-websocket key is no candidate.
    EXPECT_EQ(extract(e), (std::vector<std::string>{"wss://x.example", "WSS://Y.example/"}));
    EXPECT_TRUE(extract(event(3, {}, "")).empty());
    EXPECT_TRUE(extract(event(3, {}, "{broken")).empty());
    EXPECT_TRUE(extract(event(3, {}, R"(["wss://array.example"])")).empty());
    EXPECT_TRUE(extract(event(3, {}, R"({"a\u0000":1})")).empty());
}

TEST(UrlExtract, RecommendRelayContent) {
    EXPECT_EQ(extract(event(2, {}, "  wss://rec.example \n")), (std::vector<std::string>{"wss://rec.example"}));
    EXPECT_TRUE(extract(event(2, {}, "rec.example")).empty());
    // Only kind 2 content is a relay URL; a note that is just a URL is not scanned.
    EXPECT_TRUE(extract(event(1, {}, "wss://note.example")).empty());
}

TEST(UrlExtract, RelayHintsAndAnyUrlTagValue) {
    Event e = event(1, {{"e", "00ff", "wss://hint-e.example", "reply"},
                        {"p", "abcd", "wss://hint-p.example"},
                        {"a", "30023:abcd:slug", "ws://hint-a.example"},
                        {"e", "00ff", ""},
                        {"relay", "wss://relay-tag.example"},
                        {"x", "some", "value", "wss://fourth.example"},
                        {"wss://name-is-not-a-value.example"}});
    EXPECT_EQ(extract(e), (std::vector<std::string>{"wss://hint-e.example", "wss://hint-p.example",
                                                   "ws://hint-a.example", "wss://relay-tag.example",
                                                   "wss://fourth.example"}));
}

TEST(UrlExtract, LooksLikeRelayUrl) {
    EXPECT_TRUE(looks_like_relay_url("wss://a"));
    EXPECT_TRUE(looks_like_relay_url(" WS://a "));
    EXPECT_FALSE(looks_like_relay_url("https://a"));
    EXPECT_FALSE(looks_like_relay_url("wss:/a"));
    EXPECT_FALSE(looks_like_relay_url("javascript:alert(1)//wss://a"));
    EXPECT_FALSE(looks_like_relay_url(""));
}

AddressPolicy strict() { return AddressPolicy{}; }

UrlVerdict verdict(const std::string& text, AddressPolicy policy = strict()) {
    return screen_discovered_url(text, policy).verdict;
}

TEST(FinderUrlPolicy, ValidPublicUrlsAreNormalized) {
    ScreenedUrl s = screen_discovered_url("WSS://Relay.Example:443/", strict());
    ASSERT_EQ(s.verdict, UrlVerdict::accepted);
    EXPECT_EQ(s.url->str(), "wss://relay.example");
    EXPECT_EQ(verdict("ws://8.8.8.8:7777"), UrlVerdict::accepted);
    EXPECT_EQ(verdict("wss://[2606:4700::1111]"), UrlVerdict::accepted);
}

TEST(FinderUrlPolicy, RefusedAddressesNeverEnter) {
    for (const char* text :
         {"ws://127.0.0.1:7777", "ws://127.1.2.3", "wss://10.0.0.1", "wss://192.168.1.1", "wss://172.16.0.1",
          "wss://169.254.169.254", "wss://0.0.0.0", "wss://[::1]", "wss://[::ffff:127.0.0.1]", "wss://[fe80::1]",
          "wss://[fd00::1]", "wss://224.0.0.1", "wss://100.64.0.1", "wss://255.255.255.255", "wss://localhost",
          "ws://localhost:8080", "wss://relay.localhost", "wss://printer.local"}) {
        ScreenedUrl s = screen_discovered_url(text, strict());
        EXPECT_EQ(s.verdict, UrlVerdict::refused_address) << text;
        EXPECT_FALSE(s.url) << text;
        EXPECT_FALSE(s.why.empty()) << text;
    }
}

TEST(FinderUrlPolicy, PolicySwitchesOpenLoopbackAndPrivate) {
    AddressPolicy loopback{.allow_loopback = true};
    EXPECT_EQ(verdict("ws://127.0.0.1:7777", loopback), UrlVerdict::accepted);
    EXPECT_EQ(verdict("ws://localhost:7777", loopback), UrlVerdict::accepted);
    EXPECT_EQ(verdict("wss://10.0.0.1", loopback), UrlVerdict::refused_address);
    AddressPolicy lan{.allow_private = true};
    EXPECT_EQ(verdict("wss://10.0.0.1", lan), UrlVerdict::accepted);
    EXPECT_EQ(verdict("wss://printer.local", lan), UrlVerdict::accepted);
    EXPECT_EQ(verdict("ws://127.0.0.1", lan), UrlVerdict::refused_address);
    EXPECT_EQ(verdict("wss://169.254.169.254", AddressPolicy{true, true}), UrlVerdict::refused_address);
}

TEST(FinderUrlPolicy, HostileTextIsInvalid) {
    const std::string overlong = "wss://" + std::string(3000, 'a') + ".example";
    const std::string long_label = "wss://" + std::string(64, 'a') + ".example";
    for (const std::string& text :
         {std::string("javascript:alert(1)"), std::string("https://relay.example"), std::string("wss://"),
          std::string("wss://user:pass@relay.example"), std::string("wss://relay.example:0"),
          std::string("wss://relay.example:70000"), std::string("wss://r\xc3\xa9lay.example"),
          std::string("wss://\xd0\xb0pple.com"), std::string("wss://relay.example/\npath"),
          std::string("wss://relay .example"), std::string("wss://[::1%25eth0]"), std::string("wss://127.1"),
          std::string("wss://0x7f.0.0.1"), overlong, long_label, std::string("ws://\x01host")}) {
        ScreenedUrl s = screen_discovered_url(text, AddressPolicy{true, true});
        EXPECT_EQ(s.verdict, UrlVerdict::invalid) << text;
        EXPECT_FALSE(s.why.empty()) << text;
    }
}

}  // namespace
}  // namespace brotr::services
