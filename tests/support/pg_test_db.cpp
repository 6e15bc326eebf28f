#include "support/pg_test_db.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <random>
#include <stdexcept>

#include <pqxx/nontransaction>

#include "support/test_env.hpp"

namespace brotr::test {

std::map<std::string, std::string> pg_server_env() {
    const auto env_file = env("BROTR_PG_ENV");
    if (!env_file) throw std::runtime_error("BROTR_PG_ENV is not set: run the PostgreSQL tests through ctest");
    const std::string& file = *env_file;
    std::ifstream in(file);
    if (!in) throw std::runtime_error("cannot read " + file + " (did the postgres_start fixture run?)");
    std::map<std::string, std::string> values;
    for (std::string line; std::getline(in, line);) {
        const auto eq = line.find('=');
        if (eq != std::string::npos) values[line.substr(0, eq)] = line.substr(eq + 1);
    }
    for (const char* key : {"PGHOST", "PGPORT", "PGUSER"})
        if (!values.contains(key)) throw std::runtime_error(file + " lacks " + key);
    return values;
}

PgTestDb::PgTestDb() {
    const auto env = pg_server_env();
    const std::string server = "host=" + env.at("PGHOST") + " port=" + env.at("PGPORT") + " user=" + env.at("PGUSER");
    server_conninfo_ = server + " dbname=postgres";
    static std::atomic<int> counter{0};
    std::random_device rd;
    name_ = "brotr_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" +
            std::to_string(rd() % 1000000);
    conninfo_ = server + " dbname=" + name_;
    pqxx::connection admin(server_conninfo_);
    pqxx::nontransaction tx(admin);
    tx.exec("CREATE DATABASE " + tx.quote_name(name_));
}

PgTestDb::~PgTestDb() {
    try {
        pqxx::connection admin(server_conninfo_);
        pqxx::nontransaction tx(admin);
        tx.exec("DROP DATABASE IF EXISTS " + tx.quote_name(name_) + " WITH (FORCE)");
    } catch (...) {
        // The server may already be gone at teardown; the fixture removes it all.
    }
}

std::unique_ptr<pqxx::connection> PgTestDb::connect() const { return std::make_unique<pqxx::connection>(conninfo_); }

}  // namespace brotr::test
