// NIP-01 subscription filters: which events a REQ asks for, in JSON and as
// a predicate on events.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "brotr/event.hpp"

namespace brotr {

// Every present condition must hold (AND); within one list any value may
// match (OR). An absent list is no condition; an empty list matches nothing.
// The same type serves store queries and the REQs sent to relays. Every
// member has an initializer so that designated initializers can name only
// the fields they set, e.g. Filter{.since = t, .limit = 500}.
struct Filter {
    std::optional<std::vector<Bytes32>> ids{};
    std::optional<std::vector<Bytes32>> authors{};
    std::optional<std::vector<std::uint16_t>> kinds{};
    // "#e": ["..."] is tags['e']: the event needs a tag ["e", v, ...] with v
    // in the list. Keys are single ASCII letters.
    std::map<char, std::vector<std::string>> tags{};
    std::optional<std::int64_t> since{};  // created_at >= since
    std::optional<std::int64_t> until{};  // created_at <= until
    std::optional<std::uint64_t> limit{}; // how many events to return at most (not a match condition)

    bool matches(const Event& e) const;
    bool operator==(const Filter&) const = default;
};

struct ParsedFilter {
    std::optional<Filter> filter;
    std::string error;  // for people, e.g. "kinds[1] must be an integer between 0 and 65535"; empty when ok
};

// Strict: unknown fields, wrong types, ids/authors not 64 lower-case hex,
// kinds outside 0..65535, negative since/until/limit and "#" keys that are
// not one letter are errors.
ParsedFilter parse_filter(std::string_view json);

// {"ids":[..],"authors":[..],"kinds":[..],"#a":[..],..,"since":..,"until":..,"limit":..}
// with only the present fields, in this order (tags by letter), no whitespace.
std::string to_json(const Filter& f);

}  // namespace brotr
