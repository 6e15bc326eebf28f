// Lower-case hexadecimal encoding of byte strings.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace brotr {

std::string to_hex(std::span<const std::uint8_t> bytes);

// The value of one hex digit of either case, or -1.
inline int hex_digit_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
void append_hex(std::span<const std::uint8_t> bytes, std::string& out);

// Decodes exactly out.size()*2 lower-case hex characters; false on any other input.
bool from_hex_lower(std::string_view hex, std::span<std::uint8_t> out);

template <std::size_t N>
std::optional<std::array<std::uint8_t, N>> parse_hex_array(std::string_view hex) {
    std::array<std::uint8_t, N> out{};
    if (!from_hex_lower(hex, out)) return std::nullopt;
    return out;
}

}  // namespace brotr
