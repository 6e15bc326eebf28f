// A fresh PostgreSQL database per test on the server the ctest fixture
// started (tests/support/test-postgres.sh; env BROTR_PG_ENV names its file
// of PGHOST/PGPORT/PGUSER lines). Dropped again on destruction.
#pragma once

#include <map>
#include <memory>
#include <string>

#include <pqxx/connection>

namespace brotr::test {

// The fixture server's settings (PGHOST, PGPORT, PGUSER, PGBIN, ...).
// Throws std::runtime_error when BROTR_PG_ENV is unset or unreadable.
std::map<std::string, std::string> pg_server_env();

class PgTestDb {
public:
    PgTestDb();  // creates brotr_test_<pid>_<n>_<random>
    ~PgTestDb();
    PgTestDb(const PgTestDb&) = delete;
    PgTestDb& operator=(const PgTestDb&) = delete;

    const std::string& name() const { return name_; }
    // "host=.. port=.. user=.. dbname=<name>"
    const std::string& conninfo() const { return conninfo_; }
    // A new connection to this database.
    std::unique_ptr<pqxx::connection> connect() const;

private:
    std::string server_conninfo_;  // to the maintenance database "postgres"
    std::string name_;
    std::string conninfo_;
};

}  // namespace brotr::test
