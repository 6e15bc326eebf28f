// Formatting of one record's message part ("service: event key=value ...").
#pragma once

#include <string>
#include <string_view>

#include "brotr/log.hpp"

namespace brotr::log::detail {

// Appends `value`, quoted and escaped when it would otherwise break the
// key=value syntax or the one-line-per-record rule.
void append_value(std::string& out, std::string_view value);
void append_field(std::string& out, const Field& field);
void append_field(std::string& out, std::string_view key, std::string_view value);

}  // namespace brotr::log::detail
