// A PostgreSQL server of the exporter tests' own, for what the shared
// fixture server must not go through while other tests use it: being
// stopped and started again, and password authentication. Made with the
// fixture's binaries (PGBIN of BROTR_PG_ENV), on a free port, as the
// unprivileged postgres account when we are root (PostgreSQL refuses root).
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <pqxx/connection>
#include <pqxx/nontransaction>

#include "support/pg_test_db.hpp"
#include "support/test_env.hpp"

namespace brotr::test {

inline int free_tcp_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
        throw std::runtime_error("cannot find a free port");
    const int port = ntohs(addr.sin_port);
    ::close(fd);
    return port;
}

class PrivatePgServer {
public:
    // With a password, the postgres user must give it (scram-sha-256);
    // without, every local connection is trusted.
    explicit PrivatePgServer(std::optional<std::string> password = std::nullopt) : password_(std::move(password)) {
        bin_ = pg_server_env().at("PGBIN");
        root_ = std::filesystem::path(temp_.path()) / "pg";
        std::filesystem::create_directories(root_);
        ::chmod(temp_.path().c_str(), 0755);
        ::chmod(root_.c_str(), 0700);
        std::vector<std::string> initdb = {bin_ + "/initdb", "-D", data_dir(), "-U", "postgres", "-E", "UTF8",
                                           "--locale=C.UTF-8"};
        if (password_) {
            write_file(root_ / "pwfile", *password_ + "\n");
            initdb.push_back("--auth=scram-sha-256");
            initdb.push_back("--pwfile=" + (root_ / "pwfile").string());
        } else {
            initdb.push_back("--auth=trust");
        }
        own(root_);
        const auto out = as_owner(initdb);
        if (out.exit_code != 0) throw std::runtime_error("initdb failed: " + out.err + out.out);
        port_ = free_tcp_port();
        start();
    }

    ~PrivatePgServer() {
        as_owner({bin_ + "/pg_ctl", "-D", data_dir(), "-m", "immediate", "stop"});
    }

    PrivatePgServer(const PrivatePgServer&) = delete;
    PrivatePgServer& operator=(const PrivatePgServer&) = delete;

    void start() {
        const std::string options = "-p " + std::to_string(port_) + " -k " + root_.string() +
                                    " -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
                                    " -c full_page_writes=off";
        const auto out = as_owner({bin_ + "/pg_ctl", "-D", data_dir(), "-l", (root_ / "server.log").string(), "-w",
                                   "-t", "60", "-o", options, "start"});
        if (out.exit_code != 0)
            throw std::runtime_error("pg_ctl start failed: " + out.err + out.out + read_log());
    }

    // A fast shutdown: connections are terminated, the server goes away.
    void stop() {
        const auto out = as_owner({bin_ + "/pg_ctl", "-D", data_dir(), "-m", "fast", "-w", "stop"});
        if (out.exit_code != 0) throw std::runtime_error("pg_ctl stop failed: " + out.err + out.out);
    }

    int port() const { return port_; }
    std::string conninfo(const std::string& dbname = "postgres") const {
        return "host=127.0.0.1 port=" + std::to_string(port_) + " user=postgres dbname=" + dbname;
    }
    // Connects as the superuser (with the password, if any).
    std::unique_ptr<pqxx::connection> connect(const std::string& dbname = "postgres") const {
        std::string info = conninfo(dbname);
        if (password_) info += " password=" + *password_;
        return std::make_unique<pqxx::connection>(info);
    }
    void create_database(const std::string& name) const {
        auto admin = connect();
        pqxx::nontransaction tx(*admin);
        tx.exec("CREATE DATABASE " + tx.quote_name(name));
    }

private:
    std::string data_dir() const { return (root_ / "data").string(); }
    std::string read_log() const {
        try {
            return read_file(root_ / "server.log");
        } catch (...) {
            return {};
        }
    }
    static bool root() { return ::geteuid() == 0; }
    static void own(const std::filesystem::path& p) {
        if (root()) run_command({"chown", "-R", "postgres:postgres", p.string()});
    }
    static CommandOutput as_owner(std::vector<std::string> argv) {
        if (root()) argv.insert(argv.begin(), {"runuser", "-u", "postgres", "--"});
        return run_command(argv);
    }

    TempDir temp_;
    std::filesystem::path root_;
    std::string bin_;
    std::optional<std::string> password_;
    int port_ = 0;
};

}  // namespace brotr::test
