// The SSRF rule: address classification and the allow flags.
#include <gtest/gtest.h>

#include <ostream>
#include <string>

#include "brotr/address_policy.hpp"

namespace brotr {
namespace {

struct Case {
    std::string address;
    AddressClass expected;
};

void PrintTo(const Case& c, std::ostream* os) {
    for (char ch : c.address) *os << ((ch == '.' || ch == ':') ? '_' : ch);
}

class Classify : public ::testing::TestWithParam<Case> {};

TEST_P(Classify, AddressFallsInItsRange) {
    auto address = IpAddress::parse(GetParam().address);
    ASSERT_TRUE(address) << GetParam().address;
    EXPECT_EQ(classify(*address), GetParam().expected)
        << GetParam().address << " classified " << to_string(classify(*address));
}

INSTANTIATE_TEST_SUITE_P(
    Ranges, Classify,
    ::testing::Values(
        // IPv4
        Case{"1.1.1.1", AddressClass::global}, Case{"8.8.8.8", AddressClass::global},
        Case{"0.0.0.0", AddressClass::unspecified}, Case{"0.1.2.3", AddressClass::reserved},
        Case{"127.0.0.1", AddressClass::loopback}, Case{"127.255.255.254", AddressClass::loopback},
        Case{"10.0.0.1", AddressClass::private_use}, Case{"172.16.0.1", AddressClass::private_use},
        Case{"172.31.255.255", AddressClass::private_use}, Case{"172.15.255.255", AddressClass::global},
        Case{"172.32.0.0", AddressClass::global}, Case{"192.168.1.1", AddressClass::private_use},
        Case{"100.64.0.1", AddressClass::shared}, Case{"100.127.255.255", AddressClass::shared},
        Case{"100.63.255.255", AddressClass::global}, Case{"100.128.0.0", AddressClass::global},
        Case{"169.254.169.254", AddressClass::link_local}, Case{"224.0.0.1", AddressClass::multicast},
        Case{"239.255.255.255", AddressClass::multicast}, Case{"255.255.255.255", AddressClass::broadcast},
        Case{"240.0.0.1", AddressClass::reserved}, Case{"255.255.255.254", AddressClass::reserved},
        Case{"192.0.2.10", AddressClass::documentation}, Case{"198.51.100.7", AddressClass::documentation},
        Case{"203.0.113.200", AddressClass::documentation}, Case{"192.0.0.8", AddressClass::reserved},
        Case{"198.18.0.1", AddressClass::reserved}, Case{"198.19.255.255", AddressClass::reserved},
        Case{"198.20.0.0", AddressClass::global}, Case{"192.88.99.1", AddressClass::reserved},
        // IPv6
        Case{"2606:4700:4700::1111", AddressClass::global}, Case{"2a01:4f8::1", AddressClass::global},
        Case{"::", AddressClass::unspecified}, Case{"::1", AddressClass::loopback},
        Case{"fc00::1", AddressClass::private_use}, Case{"fd12:3456::1", AddressClass::private_use},
        Case{"fec0::1", AddressClass::private_use}, Case{"fe80::1", AddressClass::link_local},
        Case{"febf:ffff::1", AddressClass::link_local}, Case{"ff02::1", AddressClass::multicast},
        Case{"2001:db8::1", AddressClass::documentation}, Case{"3fff::1", AddressClass::documentation},
        Case{"2001::1", AddressClass::reserved}, Case{"2001:1ff::1", AddressClass::reserved},
        Case{"2001:200::1", AddressClass::global}, Case{"100::1", AddressClass::reserved},
        Case{"::2", AddressClass::reserved}, Case{"4000::1", AddressClass::reserved},
        Case{"64:ff9b:1::1", AddressClass::private_use},
        // IPv6 forms that carry an IPv4 address take its class.
        Case{"::ffff:127.0.0.1", AddressClass::loopback}, Case{"::ffff:10.1.2.3", AddressClass::private_use},
        Case{"::ffff:8.8.8.8", AddressClass::global}, Case{"::ffff:0.0.0.0", AddressClass::unspecified},
        Case{"::ffff:169.254.1.1", AddressClass::link_local}, Case{"64:ff9b::7f00:1", AddressClass::loopback},
        Case{"64:ff9b::808:808", AddressClass::global}, Case{"2002:c0a8:0101::1", AddressClass::private_use},
        Case{"2002:0808:0808::1", AddressClass::global}));

TEST(AddressPolicy, DefaultRefusesEverythingButGlobal) {
    AddressPolicy policy;
    for (const char* text : {"127.0.0.1", "::1", "10.0.0.1", "fd00::1", "100.64.0.1", "169.254.1.1", "fe80::1",
                             "224.0.0.1", "0.0.0.0", "::", "255.255.255.255", "192.0.2.1", "240.0.0.1",
                             "::ffff:127.0.0.1"}) {
        auto address = IpAddress::parse(text);
        ASSERT_TRUE(address) << text;
        EXPECT_FALSE(is_allowed(*address, policy)) << text;
        EXPECT_TRUE(refusal(*address, policy).has_value()) << text;
    }
    EXPECT_TRUE(is_allowed(*IpAddress::parse("93.184.216.34"), policy));
    EXPECT_TRUE(is_allowed(*IpAddress::parse("2606:2800:220:1::1"), policy));
}

TEST(AddressPolicy, LoopbackFlagAllowsOnlyLoopback) {
    AddressPolicy policy{.allow_loopback = true, .allow_private = false};
    EXPECT_TRUE(is_allowed(*IpAddress::parse("127.0.0.1"), policy));
    EXPECT_TRUE(is_allowed(*IpAddress::parse("::1"), policy));
    EXPECT_TRUE(is_allowed(*IpAddress::parse("::ffff:127.0.0.2"), policy));
    EXPECT_EQ(refusal(*IpAddress::parse("10.0.0.1"), policy), AddressClass::private_use);
    EXPECT_EQ(refusal(*IpAddress::parse("0.0.0.0"), policy), AddressClass::unspecified);
    EXPECT_EQ(refusal(*IpAddress::parse("169.254.169.254"), policy), AddressClass::link_local);
}

TEST(AddressPolicy, PrivateFlagAllowsPrivateAndSharedButNotLoopback) {
    AddressPolicy policy{.allow_loopback = false, .allow_private = true};
    EXPECT_TRUE(is_allowed(*IpAddress::parse("192.168.0.10"), policy));
    EXPECT_TRUE(is_allowed(*IpAddress::parse("fd00::10"), policy));
    EXPECT_TRUE(is_allowed(*IpAddress::parse("100.100.100.100"), policy));
    EXPECT_EQ(refusal(*IpAddress::parse("127.0.0.1"), policy), AddressClass::loopback);
    EXPECT_EQ(refusal(*IpAddress::parse("fe80::1"), policy), AddressClass::link_local);
    EXPECT_EQ(refusal(*IpAddress::parse("ff02::1"), policy), AddressClass::multicast);
    EXPECT_EQ(refusal(*IpAddress::parse("203.0.113.1"), policy), AddressClass::documentation);
}

TEST(IpAddress, BuildsFromResolverBytes) {
    auto v4 = IpAddress::v4({127, 0, 0, 1});
    EXPECT_TRUE(v4.is_v4());
    EXPECT_EQ(v4.to_string(), "127.0.0.1");
    EXPECT_EQ(v4, *IpAddress::parse("127.0.0.1"));
    EXPECT_EQ(classify(v4), AddressClass::loopback);

    auto v6 = IpAddress::v6({0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
    EXPECT_FALSE(v6.is_v4());
    EXPECT_EQ(v6.to_string(), "2001:db8::1");
    EXPECT_EQ(classify(v6), AddressClass::documentation);
    EXPECT_FALSE(v6 == *IpAddress::parse("2001:db8::2"));
}

TEST(IpAddress, RejectsMalformedText) {
    for (const char* text : {"", "localhost", "127.1", "256.0.0.1", "1.2.3.4.5", "0x7f.0.0.1", "[::1]",
                             "fe80::1%eth0", "::g", "1:2:3:4:5:6:7:8:9", " 1.2.3.4", "1.2.3.4 "}) {
        EXPECT_FALSE(IpAddress::parse(text)) << text;
    }
    EXPECT_FALSE(IpAddress::parse(std::string(100, '1')));
}

TEST(AddressClass, HasReadableNames) {
    EXPECT_EQ(to_string(AddressClass::global), "global");
    EXPECT_EQ(to_string(AddressClass::loopback), "loopback");
    EXPECT_EQ(to_string(AddressClass::private_use), "private");
    EXPECT_EQ(to_string(AddressClass::link_local), "link-local");
}

}  // namespace
}  // namespace brotr
