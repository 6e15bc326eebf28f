// Small text helpers shared across layers.
#pragma once

#include <string_view>

namespace brotr {

// `s` without leading and trailing ASCII whitespace (space, \t, \n, \v, \f, \r).
inline std::string_view trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\n\v\f\r");
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of(" \t\n\v\f\r");
    return s.substr(first, last - first + 1);
}

}  // namespace brotr
