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

}  // namespace
}  // namespace brotr
