#include "brotr/hex.hpp"

#include <array>

namespace brotr {
namespace {

constexpr char kDigits[] = "0123456789abcdef";

// Maps a character to its value, or 0xff for anything but 0-9 and a-f
// (upper-case digits are rejected: ids and keys are lower-case by protocol).
constexpr std::array<std::uint8_t, 256> make_decode_table() {
    std::array<std::uint8_t, 256> t{};
    for (auto& v : t) v = 0xff;
    for (int c = '0'; c <= '9'; ++c) t[static_cast<std::size_t>(c)] = static_cast<std::uint8_t>(c - '0');
    for (int c = 'a'; c <= 'f'; ++c) t[static_cast<std::size_t>(c)] = static_cast<std::uint8_t>(c - 'a' + 10);
    return t;
}
constexpr auto kDecode = make_decode_table();

}  // namespace

void append_hex(std::span<const std::uint8_t> bytes, std::string& out) {
    const std::size_t start = out.size();
    out.resize(start + bytes.size() * 2);
    char* p = out.data() + start;
    for (std::uint8_t b : bytes) {
        *p++ = kDigits[b >> 4];
        *p++ = kDigits[b & 0x0f];
    }
}

std::string to_hex(std::span<const std::uint8_t> bytes) {
    std::string out;
    append_hex(bytes, out);
    return out;
}

bool from_hex_lower(std::string_view hex, std::span<std::uint8_t> out) {
    if (hex.size() != out.size() * 2) return false;
    // Accumulate the "bad digit" bits instead of branching per character.
    std::uint8_t bad = 0;
    for (std::size_t i = 0; i < out.size(); ++i) {
        const std::uint8_t hi = kDecode[static_cast<unsigned char>(hex[2 * i])];
        const std::uint8_t lo = kDecode[static_cast<unsigned char>(hex[2 * i + 1])];
        bad |= static_cast<std::uint8_t>(hi | lo);
        out[i] = static_cast<std::uint8_t>((hi << 4) | (lo & 0x0f));
    }
    return (bad & 0xf0) == 0;
}

}  // namespace brotr
