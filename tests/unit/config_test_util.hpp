// Shared by the config tests: run a parser and capture the ConfigError.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "brotr/config.hpp"

namespace brotr::test {

// The ConfigError thrown by `parse`, or a failed expectation if none is.
template <typename Parse>
ConfigError config_error_of(Parse parse) {
    try {
        parse();
    } catch (const ConfigError& e) {
        return e;
    }
    ADD_FAILURE() << "expected a ConfigError";
    return ConfigError("(none)", "(none)", "no error");
}

inline bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

}  // namespace brotr::test
