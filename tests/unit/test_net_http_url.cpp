// http(s) URLs for the HTTP client: parsing, redirect targets, NIP-11 address.
#include <gtest/gtest.h>

#include "brotr/relay_url.hpp"
#include "net/http_url.hpp"

namespace net = brotr::net;

namespace {

TEST(HttpUrl, ParseResolveAndNip11) {
    auto base = net::parse_http_url("HTTPS://Example.COM:443/api/v1/list?x=1#frag");
    ASSERT_TRUE(base);
    EXPECT_EQ(base->str(), "https://example.com/api/v1/list?x=1");
    EXPECT_EQ(net::resolve_location(*base, "other")->str(), "https://example.com/api/v1/other");
    EXPECT_EQ(net::resolve_location(*base, "/root")->str(), "https://example.com/root");
    EXPECT_EQ(net::resolve_location(*base, "//cdn.example.com/x")->str(), "https://cdn.example.com/x");
    EXPECT_EQ(net::resolve_location(*base, "http://[2001:db8::1]:8080/y")->str(), "http://[2001:db8::1]:8080/y");
    EXPECT_FALSE(net::resolve_location(*base, ""));
    EXPECT_FALSE(net::resolve_location(*base, "data:text/plain,hi"));

    auto relay = brotr::RelayUrl::parse("wss://relay.example.com/inbox");
    EXPECT_EQ(net::nip11_url(*relay, true).str(), "https://relay.example.com/inbox");
    EXPECT_EQ(net::nip11_url(*relay, false).str(), "http://relay.example.com/inbox");
    auto on_port = brotr::RelayUrl::parse("ws://relay.example.com:7777");
    EXPECT_EQ(net::nip11_url(*on_port, true).str(), "https://relay.example.com:7777/");
}

TEST(HttpUrl, RefusesWhatIsNotAnAbsoluteHttpUrl) {
    std::string why;
    for (std::string_view text : {"", "example.com", "ftp://example.com/", "http://", "http://exa mple.com/",
                                  "http://user@example.com/", "ws://relay.example.com", "http://host:0/",
                                  "http://host:65536/"}) {
        EXPECT_FALSE(net::parse_http_url(text, &why)) << text;
        EXPECT_FALSE(why.empty()) << text;
    }
    auto v6 = net::parse_http_url("http://[2001:DB8::1]/x");
    ASSERT_TRUE(v6);
    EXPECT_EQ(v6->host, "2001:db8::1");
    EXPECT_EQ(v6->authority(), "[2001:db8::1]");
    EXPECT_EQ(v6->port, 80);
}

}  // namespace
