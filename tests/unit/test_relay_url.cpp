// RelayUrl: normalization rules, rejection of everything that is not a
// ws/wss relay URL, and idempotence of the normalized form.
#include <gtest/gtest.h>

#include <cstdint>
#include <ostream>
#include <random>
#include <string>

#include "brotr/relay_url.hpp"

namespace brotr {
namespace {

struct Normalization {
    std::string input;
    std::string expected;
};

// Test names carry only letters and digits (ctest and shells mangle the
// rest), plus a hash of the whole input to keep them unique.
std::string printable_name(const std::string& input) {
    std::string name;
    for (char c : input) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) name.push_back(c);
        if (name.size() == 40) break;
    }
    std::uint32_t hash = 2166136261u;  // FNV-1a
    for (char c : input) hash = (hash ^ static_cast<unsigned char>(c)) * 16777619u;
    static constexpr char kHex[] = "0123456789abcdef";
    name.push_back('_');
    for (int shift = 28; shift >= 0; shift -= 4) name.push_back(kHex[(hash >> shift) & 0xF]);
    return name;
}

void PrintTo(const Normalization& c, std::ostream* os) { *os << printable_name(c.input); }

class RelayUrlNormalizes : public ::testing::TestWithParam<Normalization> {};

TEST_P(RelayUrlNormalizes, ToExpectedFormAndIsIdempotent) {
    const auto& c = GetParam();
    std::string why;
    auto url = RelayUrl::parse(c.input, &why);
    ASSERT_TRUE(url.has_value()) << c.input << ": " << why;
    EXPECT_EQ(url->str(), c.expected);
    auto again = RelayUrl::parse(url->str(), &why);
    ASSERT_TRUE(again.has_value()) << url->str() << ": " << why;
    EXPECT_EQ(again->str(), url->str());
    EXPECT_EQ(again->host(), url->host());
    EXPECT_EQ(again->port(), url->port());
    EXPECT_EQ(again->target(), url->target());
    EXPECT_EQ(again->secure(), url->secure());
    EXPECT_EQ(again->network(), url->network());
}

INSTANTIATE_TEST_SUITE_P(
    Rules, RelayUrlNormalizes,
    ::testing::Values(
        Normalization{"wss://relay.damus.io", "wss://relay.damus.io"},
        Normalization{"WSS://Relay.Damus.IO/", "wss://relay.damus.io"},
        Normalization{"Ws://Relay.Example.COM", "ws://relay.example.com"},
        Normalization{"relay.damus.io", "wss://relay.damus.io"},
        Normalization{"relay.damus.io:7777/path", "wss://relay.damus.io:7777/path"},
        Normalization{"wss://relay.example.com:443", "wss://relay.example.com"},
        Normalization{"wss://relay.example.com:0443/", "wss://relay.example.com"},
        Normalization{"ws://relay.example.com:80/", "ws://relay.example.com"},
        Normalization{"ws://relay.example.com:443", "ws://relay.example.com:443"},
        Normalization{"wss://relay.example.com:80", "wss://relay.example.com:80"},
        Normalization{"wss://relay.example.com/#fragment", "wss://relay.example.com"},
        Normalization{"wss://relay.example.com#a?b=c", "wss://relay.example.com"},
        Normalization{"wss://relay.example.com/Path/Sub/?q=1#x", "wss://relay.example.com/Path/Sub/?q=1"},
        Normalization{"wss://relay.example.com/path/", "wss://relay.example.com/path/"},
        Normalization{"wss://relay.example.com?", "wss://relay.example.com"},
        Normalization{"wss://relay.example.com?a=b", "wss://relay.example.com/?a=b"},
        Normalization{"wss://relay.example.com/?a=b&c=/d?e", "wss://relay.example.com/?a=b&c=/d?e"},
        Normalization{"wss://relay.example.com./", "wss://relay.example.com"},
        Normalization{"wss://[2001:DB8::1]:8080/x", "wss://[2001:db8::1]:8080/x"},
        Normalization{"wss://[2001:0db8:0000:0000::0001]", "wss://[2001:db8::1]"},
        Normalization{"wss://[::ffff:192.0.2.1]", "wss://[::ffff:192.0.2.1]"},
        Normalization{"wss://127.0.0.1:7777", "wss://127.0.0.1:7777"},
        Normalization{"wss://relay.example.com/a%2fb%7e%41", "wss://relay.example.com/a%2Fb~A"},
        Normalization{"wss://relay.example.com/a|b^c", "wss://relay.example.com/a%7Cb%5Ec"},
        Normalization{"wss://relay.example.com/100%", "wss://relay.example.com/100%25"},
        Normalization{"wss://relay.example.com/%zz", "wss://relay.example.com/%25zz"},
        Normalization{"wss://relay.example.com/caf\xC3\xA9", "wss://relay.example.com/caf%C3%A9"},
        Normalization{"wss://relay.example.com/~user/r;v=1,x:y@z", "wss://relay.example.com/~user/r;v=1,x:y@z"},
        Normalization{"wss://xn--rel-dma.damus.io", "wss://xn--rel-dma.damus.io"},
        Normalization{"wss://my_relay.example.com", "wss://my_relay.example.com"},
        Normalization{"relay.example.com/?u=http://x", "wss://relay.example.com/?u=http://x"}));

TEST(RelayUrl, ExposesComponents) {
    auto url = RelayUrl::parse("WSS://Relay.Example.com:8443/Nostr?x=1#frag");
    ASSERT_TRUE(url);
    EXPECT_TRUE(url->secure());
    EXPECT_EQ(url->host(), "relay.example.com");
    EXPECT_EQ(url->port(), 8443);
    EXPECT_EQ(url->target(), "/Nostr?x=1");
    EXPECT_EQ(url->network(), Network::clearnet);

    auto plain = RelayUrl::parse("ws://relay.example.com");
    ASSERT_TRUE(plain);
    EXPECT_FALSE(plain->secure());
    EXPECT_EQ(plain->port(), 80);
    EXPECT_EQ(plain->target(), "/");

    auto v6 = RelayUrl::parse("wss://[2001:db8::2]");
    ASSERT_TRUE(v6);
    EXPECT_EQ(v6->host(), "2001:db8::2");  // no brackets
    EXPECT_EQ(v6->port(), 443);
}

TEST(RelayUrl, OnionHostsAreTor) {
    const std::string onion = "wss://2jsnlhfnelig5acq6iacydmzdbdmg7xwunm4xl6qwbvzacw4lwrjmlyd.onion";
    auto url = RelayUrl::parse(onion);
    ASSERT_TRUE(url);
    EXPECT_EQ(url->network(), Network::tor);

    auto upper = RelayUrl::parse("ws://ABCDEFGHIJKLMNOP.ONION:81/relay");
    ASSERT_TRUE(upper);
    EXPECT_EQ(upper->str(), "ws://abcdefghijklmnop.onion:81/relay");
    EXPECT_EQ(upper->network(), Network::tor);

    // Only the top-level ".onion" counts.
    auto lookalike = RelayUrl::parse("wss://onion.example.com");
    ASSERT_TRUE(lookalike);
    EXPECT_EQ(lookalike->network(), Network::clearnet);
    auto suffix = RelayUrl::parse("wss://relay.notonion");
    ASSERT_TRUE(suffix);
    EXPECT_EQ(suffix->network(), Network::clearnet);
}

TEST(RelayUrl, EqualityIsOnNormalizedForm) {
    auto a = RelayUrl::parse("wss://Relay.Example.com:443/");
    auto b = RelayUrl::parse("relay.example.com");
    auto c = RelayUrl::parse("ws://relay.example.com");
    ASSERT_TRUE(a && b && c);
    EXPECT_EQ(*a, *b);
    EXPECT_FALSE(*a == *c);
}

TEST(RelayUrl, LimitsAtTheirExactBoundaries) {
    const std::string label63(63, 'a');
    // 63 + 1 + 63 + 1 + 63 + 1 + 61 = 253 characters.
    const std::string host253 = label63 + "." + label63 + "." + label63 + "." + std::string(61, 'b');
    ASSERT_EQ(host253.size(), 253u);
    EXPECT_TRUE(RelayUrl::parse("wss://" + label63 + ".com"));
    EXPECT_TRUE(RelayUrl::parse("wss://" + host253));

    const std::string prefix = "wss://relay.example.com/";
    const std::string longest = prefix + std::string(RelayUrl::kMaxLength - prefix.size(), 'p');
    ASSERT_EQ(longest.size(), RelayUrl::kMaxLength);
    auto url = RelayUrl::parse(longest);
    ASSERT_TRUE(url);
    EXPECT_EQ(url->str(), longest);

    EXPECT_TRUE(RelayUrl::parse("wss://relay.example.com:65535"));
    EXPECT_TRUE(RelayUrl::parse("wss://relay.example.com:1"));
}

struct Rejection {
    std::string input;
    std::string reason_part;  // a piece of the expected explanation
};

void PrintTo(const Rejection& c, std::ostream* os) { *os << printable_name(c.input); }

class RelayUrlRejects : public ::testing::TestWithParam<Rejection> {};

TEST_P(RelayUrlRejects, WithAReason) {
    const auto& c = GetParam();
    std::string why;
    auto url = RelayUrl::parse(c.input, &why);
    EXPECT_FALSE(url.has_value()) << "accepted as " << url->str();
    EXPECT_NE(why.find(c.reason_part), std::string::npos) << "reason was: " << why;
    EXPECT_FALSE(RelayUrl::parse(c.input).has_value());  // also without `why`
}

const std::string kLabel64(64, 'a');
const std::string kLongHost = std::string(63, 'a') + "." + std::string(63, 'b') + "." + std::string(63, 'c') +
                              "." + std::string(62, 'd');  // 254 characters

INSTANTIATE_TEST_SUITE_P(
    BadInput, RelayUrlRejects,
    ::testing::Values(
        Rejection{"", "empty URL"},
        Rejection{"http://relay.example.com", "unsupported scheme 'http'"},
        Rejection{"https://relay.example.com", "unsupported scheme 'https'"},
        Rejection{"HTTPS://relay.example.com", "unsupported scheme 'https'"},
        Rejection{"ftp://relay.example.com", "unsupported scheme"},
        Rejection{"wsss://relay.example.com", "unsupported scheme"},
        Rejection{"wss://", "empty host"},
        Rejection{"wss:///path", "empty host"},
        Rejection{"wss://:443", "empty host"},
        Rejection{"wss://?x", "empty host"},
        Rejection{"wss://.", "empty host"},
        Rejection{"wss://user@relay.example.com", "user information"},
        Rejection{"wss://user:secret@relay.example.com", "user information"},
        Rejection{"mailto:someone@example.com", "user information"},
        Rejection{"wss://relay.example.com:", "empty port"},
        Rejection{"wss://relay.example.com:0", "port out of range"},
        Rejection{"wss://relay.example.com:65536", "port out of range"},
        Rejection{"wss://relay.example.com:99999999999999999999", "invalid port"},
        Rejection{"wss://relay.example.com:-1", "invalid port"},
        Rejection{"wss://relay.example.com:+1", "invalid port"},
        Rejection{"wss://relay.example.com:8a", "invalid port"},
        Rejection{"wss:/relay.example.com", "empty port"},
        Rejection{" wss://relay.example.com", "whitespace"},
        Rejection{"wss://relay.example.com ", "whitespace"},
        Rejection{"wss://relay.example.com/a b", "whitespace"},
        Rejection{"wss://relay.exa\tmple.com", "control character"},
        Rejection{"wss://relay.example.com\n", "control character"},
        Rejection{"wss://relay.example.com\r", "control character"},
        Rejection{std::string("wss://relay.example.com\0x", 25), "control character"},
        Rejection{"wss://relay.example.com/\x7F", "control character"},
        Rejection{"wss://relay.example.com/" + std::string(RelayUrl::kMaxLength, 'p'), "longer than 2048"},
        // Short input whose percent-encoded form exceeds the limit.
        Rejection{"wss://relay.example.com/" + std::string(700, '|'), "longer than 2048"},
        Rejection{"wss://" + kLongHost, "longer than 253"},
        Rejection{"wss://" + kLabel64 + ".com", "longer than 63"},
        Rejection{"wss://ex!ample.com", "invalid character '!'"},
        Rejection{"wss://exa$mple.com", "invalid character '$'"},
        Rejection{"wss://exa%41mple.com", "invalid character '%'"},
        Rejection{"wss://ex..ample.com", "empty label"},
        Rejection{"wss://.example.com", "empty label"},
        Rejection{"wss://rel\xC3\xA4.example.com", "non-ASCII host"},
        Rejection{"wss://\xE2\x80\x8B.example.com", "non-ASCII host"},
        Rejection{"wss://2001:db8::1", "brackets"},
        Rejection{"wss://[2001:db8::1", "unterminated IPv6"},
        Rejection{"wss://[2001:db8::1]x", "after IPv6 literal"},
        Rejection{"wss://[2001:db8::1]:", "empty port"},
        Rejection{"wss://[]", "invalid IPv6"},
        Rejection{"wss://[not-an-address]", "invalid IPv6"},
        Rejection{"wss://[fe80::1%25eth0]", "invalid IPv6"},
        Rejection{"wss://[1.2.3.4]", "invalid IPv6"},
        Rejection{"wss://256.1.1.1", "invalid IPv4"},
        Rejection{"wss://100.127.36.484/8:4848", "invalid IPv4"},
        Rejection{"wss://1.2.3", "invalid IPv4"},
        Rejection{"wss://1.2.3.4.5", "invalid IPv4"},
        Rejection{"wss://127.1", "invalid IPv4"},
        Rejection{"wss://0x7f.0.0.1", "invalid IPv4"},
        Rejection{"wss://2130706433", "invalid IPv4"},
        Rejection{"wss://0177.0.0.1", "invalid IPv4"}));

TEST(RelayUrl, RandomMutationsNeverCrashAndStayIdempotent) {
    // Mutations of valid URLs probe the parser with near-valid input, where
    // bugs hide; whatever is accepted must be a fixed point of normalization.
    const std::string seeds[] = {"wss://relay.example.com:7777/path?q=1#f", "ws://[2001:db8::1]:80/",
                                 "relay.example.onion", "wss://a.b.c/%41%zz"};
    const std::string alphabet = std::string("aZ09.:/?#[]@%-_~!$ \t\x01\x7F\xC3\xA9", 24);
    std::mt19937 rng(20250101);
    int accepted = 0;
    for (int i = 0; i < 20000; ++i) {
        std::string s = seeds[static_cast<std::size_t>(i) % std::size(seeds)];
        int edits = 1 + static_cast<int>(rng() % 4);
        for (int e = 0; e < edits; ++e) {
            std::size_t pos = s.empty() ? 0 : rng() % (s.size() + 1);
            char c = alphabet[rng() % alphabet.size()];
            switch (rng() % 3) {
                case 0: s.insert(s.begin() + static_cast<std::ptrdiff_t>(pos), c); break;
                case 1: if (pos < s.size()) s.erase(pos, 1); break;
                default: if (pos < s.size()) s[pos] = c; break;
            }
        }
        auto url = RelayUrl::parse(s);
        if (!url) continue;
        ++accepted;
        auto again = RelayUrl::parse(url->str());
        ASSERT_TRUE(again) << "normalized form of '" << s << "' does not parse: " << url->str();
        ASSERT_EQ(again->str(), url->str()) << "from '" << s << "'";
    }
    EXPECT_GT(accepted, 1000);  // the mutations did exercise the accepting paths
}

TEST(Network, StringConversionRoundTrips) {
    EXPECT_EQ(to_string(Network::clearnet), "clearnet");
    EXPECT_EQ(to_string(Network::tor), "tor");
    EXPECT_EQ(network_from_string("clearnet"), Network::clearnet);
    EXPECT_EQ(network_from_string("tor"), Network::tor);
    EXPECT_FALSE(network_from_string("TOR"));
    EXPECT_FALSE(network_from_string(""));
    EXPECT_FALSE(network_from_string("i2p"));
}

}  // namespace
}  // namespace brotr
