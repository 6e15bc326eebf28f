// A NIP-01 subscription filter: what a REQ asks for, its JSON text, and the
// check that an event a relay returned is one the filter asked for.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "brotr/event.hpp"

namespace brotr::net {

struct TagFilter {
    std::string name{};  // the letter after '#', e.g. "e" for "#e"
    std::vector<std::string> values{};
    bool operator==(const TagFilter&) const = default;
};

struct Filter {
    // Every member has an initializer so designated initializers can name
    // only the fields they set, e.g. Filter{.kinds = {1}, .limit = 500}.
    std::vector<std::string> ids{};      // 64 lower-case hex characters (shorter: a prefix)
    std::vector<std::string> authors{};  // likewise
    std::vector<std::uint16_t> kinds{};
    std::vector<TagFilter> tags{};
    std::optional<std::int64_t> since{};
    std::optional<std::int64_t> until{};
    std::optional<std::size_t> limit{};

    // {"ids":[...],...,"limit":n} with only the fields that are set.
    std::string to_json() const;
    void append_json(std::string& out) const;

    // NIP-01 semantics: every condition that is set holds (limit aside).
    bool matches(const Event& e) const;

    bool operator==(const Filter&) const = default;
};

}  // namespace brotr::net
