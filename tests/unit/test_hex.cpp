#include <gtest/gtest.h>

#include "brotr/hex.hpp"

namespace brotr {
namespace {

TEST(Hex, EncodesLowerCase) {
    const std::array<std::uint8_t, 4> bytes{0x00, 0x9f, 0xab, 0xff};
    EXPECT_EQ(to_hex(bytes), "009fabff");
    std::string out = "x";
    append_hex(bytes, out);
    EXPECT_EQ(out, "x009fabff");
    EXPECT_EQ(to_hex(std::span<const std::uint8_t>{}), "");
}

TEST(Hex, DecodesRoundTrip) {
    std::array<std::uint8_t, 256> all{};
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<std::uint8_t>(i);
    const auto decoded = parse_hex_array<256>(to_hex(all));
    ASSERT_TRUE(decoded.has_value());
    EXPECT_EQ(*decoded, all);
}

TEST(Hex, RejectsUpperCaseWrongLengthAndNonHex) {
    std::array<std::uint8_t, 2> out{};
    EXPECT_TRUE(from_hex_lower("0aff", out));
    EXPECT_FALSE(from_hex_lower("0AFF", out));
    EXPECT_FALSE(from_hex_lower("0aF0", out));
    EXPECT_FALSE(from_hex_lower("0af", out));
    EXPECT_FALSE(from_hex_lower("0aff0", out));
    EXPECT_FALSE(from_hex_lower("0agf", out));
    EXPECT_FALSE(from_hex_lower("0a f", out));
    EXPECT_FALSE(from_hex_lower(std::string_view("0a\0f", 4), out));
    EXPECT_FALSE(parse_hex_array<2>("zz00").has_value());
}

// Long inputs are decoded eight characters at a time: every byte value at
// every position of such a word (and of the shorter tail) is accepted
// exactly when it is 0-9 or a-f, and decodes to its value.
TEST(Hex, EveryCharacterAtEveryPositionOfALongInput) {
    auto value_of = [](int c) { return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1; };
    const std::string base = "0123456789abcdeffedcba98";  // 24 characters: two words and a tail
    for (std::size_t at = 0; at < base.size(); ++at) {
        for (int c = 0; c < 256; ++c) {
            std::string hex = base;
            hex[at] = static_cast<char>(c);
            std::array<std::uint8_t, 12> out{};
            const bool ok = from_hex_lower(hex, out);
            ASSERT_EQ(ok, value_of(c) >= 0) << "character " << c << " at " << at;
            if (!ok) continue;
            for (std::size_t i = 0; i < out.size(); ++i) {
                const int expected = value_of(static_cast<unsigned char>(hex[2 * i])) * 16 + value_of(static_cast<unsigned char>(hex[2 * i + 1]));
                ASSERT_EQ(out[i], expected) << "character " << c << " at " << at << ", byte " << i;
            }
        }
    }
}

}  // namespace
}  // namespace brotr
