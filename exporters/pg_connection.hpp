// Connecting to PostgreSQL: a libpq conninfo (key=value string or
// postgresql:// URI) plus a password taken only from the environment.
// Errors name host, port, database and user with the server's message and
// never contain the password.
#pragma once

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include <pqxx/connection>
#include <pqxx/errorhandler>

namespace brotr::pg {

class PgError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct ConnectionSettings {
    std::string conninfo;
    // Name of an environment variable holding the password. Empty: libpq's
    // own sources apply (PGPASSWORD, ~/.pgpass).
    std::string password_env;
    // Used when the conninfo sets no connect_timeout (libpq waits forever).
    int connect_timeout_seconds = 10;
};

// Where a conninfo leads once libpq's defaults (PGHOST, PGPORT, PGDATABASE,
// PGUSER, built-in values) are applied. For messages; no password.
struct ConnectionTarget {
    std::string host;  // "local socket" when libpq would use a Unix socket
    std::string port;
    std::string dbname;
    std::string user;
    // "host 127.0.0.1, port 5432, database brotr, user postgres"
    std::string describe() const;
};

ConnectionTarget resolve_target(const std::string& conninfo);

// The string handed to libpq: the user's conninfo plus the password from
// settings.password_env and defaults the user did not set (connect_timeout,
// fallback_application_name). Holds the password: never log it.
// Throws PgError when the named password variable is unset.
std::string effective_conninfo(const ConnectionSettings& settings);

// Opens a connection; throws PgError:
//   "cannot connect to PostgreSQL (host .., port .., database .., user ..): <server message>"
std::unique_ptr<pqxx::connection> connect(const ConnectionSettings& settings);

// `text` with every occurrence of `secret` replaced by "***" (no-op for an empty secret).
std::string redact(std::string text, std::string_view secret);

// Passes the server's notices and warnings (one line each, trailing newline
// removed) to a callback for as long as it lives.
class NoticeForwarder : public pqxx::errorhandler {
public:
    NoticeForwarder(pqxx::connection_base& connection, std::function<void(std::string_view)> sink);
    bool operator()(const char message[]) noexcept override;

private:
    std::function<void(std::string_view)> sink_;
};

}  // namespace brotr::pg
