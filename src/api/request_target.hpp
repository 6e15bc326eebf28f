// The request target split into its percent-decoded path segments and query
// parameters (RFC 3986; '+' in a query means a space, as HTML forms send it).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace brotr::api {

struct RequestTarget {
    std::vector<std::string> segments;  // "/v1/relays/wss%3A%2F%2Fa" -> {"v1", "relays", "wss://a"}
    std::vector<std::pair<std::string, std::string>> params;  // in order, repeats kept
};

// Throws ApiError 400 for a target that is not origin-form, a bad percent
// escape, or a decoded segment or parameter holding a NUL.
RequestTarget parse_request_target(std::string_view target);

// Reads the parameters of one request: each get marks its name as known, and
// finish() refuses any other (400 naming it), so a misspelt parameter is an
// error rather than silently no condition.
class QueryParams {
public:
    explicit QueryParams(std::vector<std::pair<std::string, std::string>> params) : params_(std::move(params)) {}

    // The value of a parameter given at most once; 400 when repeated.
    std::optional<std::string> single(std::string_view name);
    // Every value of a repeatable parameter; comma-separated values are split.
    std::vector<std::string> list(std::string_view name);
    // Parameters whose name starts with `prefix` ("tag."), with the rest of the name.
    std::vector<std::pair<std::string, std::string>> with_prefix(std::string_view prefix);

    std::optional<std::uint64_t> integer(std::string_view name, std::uint64_t min, std::uint64_t max);
    std::optional<bool> boolean(std::string_view name);

    void finish() const;

private:
    std::vector<std::pair<std::string, std::string>> params_;
    std::vector<std::string> known_;
    std::vector<std::string> known_prefixes_;
};

}  // namespace brotr::api
