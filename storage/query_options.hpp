// NIP-01 filter options given as text (command-line flags of `brotr export`
// and `brotr-dump events`) turned into a Filter, with errors that name
// the option and the value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "brotr/filter.hpp"

namespace brotr::storage {

struct QueryOptions {
    // An empty list means "not given" (a command line cannot give an empty list).
    std::vector<std::string> ids;      // 64 lower-case hex characters each
    std::vector<std::string> authors;  // 64 lower-case hex characters each
    std::vector<std::string> kinds;    // 0..65535
    std::vector<std::string> tags;     // "x=value": single-letter tag name, value
    std::optional<std::int64_t> since, until;
    std::optional<std::uint64_t> limit;
};

// Throws std::invalid_argument, e.g. "--kinds: 70000 is not a kind (0..65535)".
Filter build_query(const QueryOptions& options);

}  // namespace brotr::storage
