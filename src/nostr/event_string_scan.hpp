// Finding the next byte of a JSON string that needs attention, 16 bytes at a
// time where SSE2 is available (every x86-64) and 8 at a time elsewhere.
// These scans are most of the work of parsing and serializing an event.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace brotr::detail {

// Bytes a JSON reader must look at: '"', '\\', control characters (< 0x20)
// and non-ASCII bytes (to validate UTF-8).
inline bool is_reader_special(unsigned char c) { return c < 0x20 || c >= 0x80 || c == '"' || c == '\\'; }
// Bytes JSON.stringify escapes: '"', '\\' and control characters.
inline bool is_writer_special(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

// Length of the prefix of [p, end) without reader-special bytes.
inline std::size_t reader_plain_prefix(const char* p, const char* end) {
    const char* const start = p;
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    const __m128i space = _mm_set1_epi8(0x20);
    while (end - p >= 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        // Signed compare: bytes >= 0x80 are negative, so "< 0x20" catches them too.
        const __m128i special = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                                             _mm_cmplt_epi8(v, space));
        const auto mask = static_cast<unsigned>(_mm_movemask_epi8(special));
        if (mask != 0) return static_cast<std::size_t>(p - start) + static_cast<unsigned>(__builtin_ctz(mask));
        p += 16;
    }
#else
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
    constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
    while (end - p >= 8) {
        std::uint64_t w;
        std::memcpy(&w, p, 8);
        const std::uint64_t quote = w ^ (kOnes * '"');
        const std::uint64_t backslash = w ^ (kOnes * '\\');
        const std::uint64_t ascii_special =
            (((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash) | (w - kOnes * 0x20)) & ~w;
        if (((ascii_special | w) & kHighs) != 0) break;
        p += 8;
    }
#endif
    while (p < end && !is_reader_special(static_cast<unsigned char>(*p))) ++p;
    return static_cast<std::size_t>(p - start);
}

// Length of the prefix of [p, end) without writer-special bytes.
inline std::size_t writer_plain_prefix(const char* p, const char* end) {
    const char* const start = p;
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    const __m128i max_control = _mm_set1_epi8(0x1f);
    while (end - p >= 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        // Unsigned "v <= 0x1f": min(v, 0x1f) == v.
        const __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(v, max_control), v);
        const __m128i special =
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)), control);
        const auto mask = static_cast<unsigned>(_mm_movemask_epi8(special));
        if (mask != 0) return static_cast<std::size_t>(p - start) + static_cast<unsigned>(__builtin_ctz(mask));
        p += 16;
    }
#else
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
    constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
    while (end - p >= 8) {
        std::uint64_t w;
        std::memcpy(&w, p, 8);
        const std::uint64_t quote = w ^ (kOnes * '"');
        const std::uint64_t backslash = w ^ (kOnes * '\\');
        // Exact about whether a special byte exists; the byte loop finds it.
        const std::uint64_t found =
            (((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash) | (w - kOnes * 0x20)) & ~w & kHighs;
        if (found != 0) break;
        p += 8;
    }
#endif
    while (p < end && !is_writer_special(static_cast<unsigned char>(*p))) ++p;
    return static_cast<std::size_t>(p - start);
}

}  // namespace brotr::detail
