// Reading and extending libpq connection strings (key=value form or
// postgresql:// URI) without linking libpq directly: libpq itself still
// parses the string when connecting; this reads it only to name the target
// in messages and to add settings the user did not give.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace brotr::pg {

// The settings a connection string states explicitly, keyed as libpq names
// them (host, port, dbname, user, password, ...). Lenient: text it cannot
// read is skipped, since libpq reports malformed strings itself.
std::map<std::string, std::string> parse_conninfo(std::string_view conninfo);

bool is_conninfo_uri(std::string_view conninfo);

// `conninfo` with key set to value; a later setting overrides an earlier one
// in both forms (for a URI it becomes a percent-encoded query parameter).
std::string with_conninfo_setting(std::string conninfo, std::string_view key, std::string_view value);

// Substrings of a connection string that may be a password (the value after
// password=, the password of a URI's user info), for redacting messages.
std::vector<std::string> conninfo_password_tokens(std::string_view conninfo);

}  // namespace brotr::pg
