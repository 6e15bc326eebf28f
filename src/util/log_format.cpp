#include "util/log_format.hpp"

#include <fmt/format.h>

namespace brotr::log::detail {
namespace {

bool needs_quotes(std::string_view value) {
    if (value.empty()) return true;
    for (char c : value) {
        auto byte = static_cast<unsigned char>(c);
        if (byte <= 0x20 || byte == 0x7F || c == '"' || c == '=' || c == '\\') return true;
    }
    return false;
}

}  // namespace

void append_value(std::string& out, std::string_view value) {
    if (!needs_quotes(value)) {
        out.append(value);
        return;
    }
    out.push_back('"');
    for (char c : value) {
        switch (c) {
            case '"': out.append("\\\""); break;
            case '\\': out.append("\\\\"); break;
            case '\n': out.append("\\n"); break;
            case '\r': out.append("\\r"); break;
            case '\t': out.append("\\t"); break;
            default: {
                auto byte = static_cast<unsigned char>(c);
                if (byte < 0x20 || byte == 0x7F) {
                    fmt::format_to(std::back_inserter(out), "\\x{:02x}", byte);
                } else {
                    out.push_back(c);
                }
            }
        }
    }
    out.push_back('"');
}

void append_field(std::string& out, std::string_view key, std::string_view value) {
    out.push_back(' ');
    out.append(key);
    out.push_back('=');
    append_value(out, value);
}

void append_field(std::string& out, const Field& field) {
    switch (field.kind()) {
        case Field::Kind::text:
            append_field(out, field.key(), field.text());
            return;
        case Field::Kind::boolean:
            append_field(out, field.key(), field.boolean_value() ? "true" : "false");
            return;
        case Field::Kind::signed_integer:
            append_field(out, field.key(), fmt::format("{}", field.signed_value()));
            return;
        case Field::Kind::unsigned_integer:
            append_field(out, field.key(), fmt::format("{}", field.unsigned_value()));
            return;
        case Field::Kind::real:
            append_field(out, field.key(), fmt::format("{}", field.real_value()));
            return;
    }
}

}  // namespace brotr::log::detail
