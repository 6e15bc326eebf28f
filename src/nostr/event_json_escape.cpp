#include "nostr/event_json_escape.hpp"

#include <cstdint>
#include <cstring>

namespace brotr::detail {
namespace {

constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kHighs = 0x8080808080808080ULL;

// Non-zero when one of the 8 bytes of w is '"', '\\' or below 0x20. Bytes
// with the high bit set (UTF-8 sequences) are masked out: they never need
// escaping, and the subtraction trick below only works on 7-bit bytes.
inline std::uint64_t needs_escape_mask(std::uint64_t w) {
    const std::uint64_t quote = w ^ (kOnes * '"');
    const std::uint64_t backslash = w ^ (kOnes * '\\');
    const std::uint64_t found = ((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash) |
                                (w - kOnes * 0x20);
    return found & ~w & kHighs;
}

// Length of the prefix of [p, end) that needs no escaping.
std::size_t plain_run(const char* p, const char* end) {
    const char* start = p;
    while (end - p >= 8) {
        std::uint64_t w;
        std::memcpy(&w, p, 8);
        if (needs_escape_mask(w) != 0) break;
        p += 8;
    }
    while (p < end) {
        const auto c = static_cast<unsigned char>(*p);
        if (c < 0x20 || c == '"' || c == '\\') break;
        ++p;
    }
    return static_cast<std::size_t>(p - start);
}

void append_escape(unsigned char c, std::string& out) {
    switch (c) {
        case '"': out.append("\\\""); return;
        case '\\': out.append("\\\\"); return;
        case '\b': out.append("\\b"); return;
        case '\f': out.append("\\f"); return;
        case '\n': out.append("\\n"); return;
        case '\r': out.append("\\r"); return;
        case '\t': out.append("\\t"); return;
        default: {
            constexpr char kDigits[] = "0123456789abcdef";
            const char esc[6] = {'\\', 'u', '0', '0', kDigits[c >> 4], kDigits[c & 0x0f]};
            out.append(esc, sizeof esc);
        }
    }
}

}  // namespace

void append_json_string(std::string_view s, std::string& out) {
    out.push_back('"');
    const char* p = s.data();
    const char* end = p + s.size();
    while (p < end) {
        const std::size_t run = plain_run(p, end);
        out.append(p, run);
        p += run;
        if (p == end) break;
        append_escape(static_cast<unsigned char>(*p), out);
        ++p;
    }
    out.push_back('"');
}

}  // namespace brotr::detail
