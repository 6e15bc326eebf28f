#include "brotr/hex.hpp"

#include <array>
#include <bit>
#include <cstring>

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

namespace {

constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;

constexpr std::uint64_t repeat(std::uint8_t b) { return 0x0101010101010101ULL * b; }

// The high bit of each byte of `x` (all below 0x80) set where that byte >= lo.
constexpr std::uint64_t at_least(std::uint64_t x, std::uint8_t lo) { return ((x | kHighBits) - repeat(lo)) & kHighBits; }

// Eight characters at once, as one little-endian word: their four bytes
// into `out`, or false if any is not 0-9 or a-f. (Bit tricks on the whole
// word instead of a table lookup per character: hex ids, keys and tag values
// are decoded for every event stored.)
bool decode_8(const char* hex, std::uint8_t* out) {
    std::uint64_t x;
    std::memcpy(&x, hex, 8);
    if constexpr (std::endian::native != std::endian::little) x = __builtin_bswap64(x);
    if (x & kHighBits) return false;
    const std::uint64_t digit = at_least(x, '0') & ~at_least(x, '9' + 1);
    const std::uint64_t letter = at_least(x, 'a') & ~at_least(x, 'f' + 1);
    if ((digit | letter) != kHighBits) return false;
    std::uint64_t v = (x & repeat(0x0f)) + (letter >> 7) * 9;  // each byte its digit's value
    v = ((v & 0x00ff00ff00ff00ffULL) << 4) | ((v >> 8) & 0x00ff00ff00ff00ffULL);  // pairs into the low byte of each 16 bits
    v = (v | (v >> 8)) & 0x0000ffff0000ffffULL;
    v = (v | (v >> 16)) & 0x00000000ffffffffULL;
    const std::uint32_t four = static_cast<std::uint32_t>(v);
    if constexpr (std::endian::native == std::endian::little) {
        std::memcpy(out, &four, 4);
    } else {
        for (int i = 0; i < 4; ++i) out[i] = static_cast<std::uint8_t>(four >> (8 * i));
    }
    return true;
}

}  // namespace

bool from_hex_lower(std::string_view hex, std::span<std::uint8_t> out) {
    if (hex.size() != out.size() * 2) return false;
    std::size_t i = 0;
    for (; i + 4 <= out.size(); i += 4)
        if (!decode_8(hex.data() + 2 * i, out.data() + i)) return false;
    // Accumulate the "bad digit" bits instead of branching per character.
    std::uint8_t bad = 0;
    for (; i < out.size(); ++i) {
        const std::uint8_t hi = kDecode[static_cast<unsigned char>(hex[2 * i])];
        const std::uint8_t lo = kDecode[static_cast<unsigned char>(hex[2 * i + 1])];
        bad |= static_cast<std::uint8_t>(hi | lo);
        out[i] = static_cast<std::uint8_t>((hi << 4) | (lo & 0x0f));
    }
    return (bad & 0xf0) == 0;
}

}  // namespace brotr
