// Wall-clock time as the archive records it: whole Unix seconds.
#pragma once

#include <chrono>
#include <cstdint>

namespace brotr {

inline std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace brotr
