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
