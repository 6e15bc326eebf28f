// The SOCKS5 client protocol bytes (RFC 1928) and reply parsing.
#include <gtest/gtest.h>

#include <set>

#include "net/net_error.hpp"
#include "net/session_stats.hpp"
#include "net/socks5.hpp"

namespace socks5 = brotr::net::socks5;
using Bytes = std::vector<std::uint8_t>;

namespace {

TEST(Socks5, GreetingOffersNoAuthenticationOnly) { EXPECT_EQ(socks5::greeting(), (Bytes{5, 1, 0})); }

TEST(Socks5, MethodReply) {
    EXPECT_EQ(socks5::check_method_reply(Bytes{5, 0}), "");
    EXPECT_NE(socks5::check_method_reply(Bytes{5, 0xFF}), "");
    EXPECT_NE(socks5::check_method_reply(Bytes{5, 2}), "") << "a method we did not offer";
    EXPECT_NE(socks5::check_method_reply(Bytes{4, 0}), "") << "SOCKS4";
    EXPECT_NE(socks5::check_method_reply(Bytes{5}), "");
}

TEST(Socks5, ConnectByDomainNameLeavesResolutionToTheProxy) {
    auto req = socks5::connect_request("abcdefghij.onion", 443);
    ASSERT_TRUE(req);
    Bytes expected = {5, 1, 0, 3, 16};
    for (char c : std::string("abcdefghij.onion")) expected.push_back(static_cast<std::uint8_t>(c));
    expected.push_back(0x01);
    expected.push_back(0xBB);
    EXPECT_EQ(*req, expected);
}

TEST(Socks5, ConnectByAddressLiteral) {
    EXPECT_EQ(*socks5::connect_request("127.0.0.1", 8080), (Bytes{5, 1, 0, 1, 127, 0, 0, 1, 0x1F, 0x90}));
    auto v6 = socks5::connect_request("::1", 80);
    ASSERT_TRUE(v6);
    ASSERT_EQ(v6->size(), 4u + 16 + 2);
    EXPECT_EQ((*v6)[3], 4);
    EXPECT_EQ((*v6)[19], 1);
}

TEST(Socks5, ConnectRefusesNamesThatDoNotFit) {
    EXPECT_FALSE(socks5::connect_request("", 80));
    EXPECT_FALSE(socks5::connect_request(std::string(256, 'a'), 80));
    EXPECT_TRUE(socks5::connect_request(std::string(255, 'a'), 80));
}

TEST(Socks5, ConnectReplyLengthByAddressType) {
    std::string error;
    EXPECT_EQ(socks5::connect_reply_remaining(Bytes{5, 0, 0, 1, 10}, error), 5u);   // 3 more IPv4 bytes + port
    EXPECT_EQ(socks5::connect_reply_remaining(Bytes{5, 0, 0, 4, 0}, error), 17u);   // 15 more IPv6 bytes + port
    EXPECT_EQ(socks5::connect_reply_remaining(Bytes{5, 0, 0, 3, 9}, error), 11u);   // 9 name bytes + port
}

TEST(Socks5, ConnectReplyFailuresAreNamed) {
    std::string error;
    EXPECT_FALSE(socks5::connect_reply_remaining(Bytes{5, 5, 0, 1, 0}, error));
    EXPECT_NE(error.find("connection refused"), std::string::npos) << error;
    EXPECT_FALSE(socks5::connect_reply_remaining(Bytes{5, 4, 0, 1, 0}, error));
    EXPECT_NE(error.find("host unreachable"), std::string::npos) << error;
    EXPECT_FALSE(socks5::connect_reply_remaining(Bytes{5, 0, 0, 9, 0}, error));
    EXPECT_FALSE(socks5::connect_reply_remaining(Bytes{4, 0, 0, 1, 0}, error));
    EXPECT_FALSE(socks5::connect_reply_remaining(Bytes{5, 0, 0}, error));
    EXPECT_EQ(socks5::reply_text(200), "unknown reply code");
}

TEST(NetNames, FailuresStepsAndDropReasonsHaveDistinctNames) {
    std::set<std::string_view> names;
    for (int i = 0; i <= static_cast<int>(brotr::net::Failure::io); ++i) {
        names.insert(brotr::net::to_string(static_cast<brotr::net::Failure>(i)));
    }
    EXPECT_EQ(names.size(), static_cast<std::size_t>(brotr::net::Failure::io) + 1);
    names.clear();
    for (std::size_t i = 0; i < brotr::net::kDropReasonCount; ++i) {
        names.insert(brotr::net::to_string(static_cast<brotr::net::DropReason>(i)));
    }
    EXPECT_EQ(names.size(), brotr::net::kDropReasonCount);
    EXPECT_FALSE(names.contains("unknown"));

    brotr::net::NetError e(brotr::net::Failure::timeout, brotr::net::Step::tls, "relay.example");
    EXPECT_STREQ(e.what(), "timeout during tls: relay.example");
}

}  // namespace
