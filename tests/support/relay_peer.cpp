#include "support/relay_peer.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace brotr::test {

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const EnvVars& extra_env)
    : stderr_path_(dir_ / "stderr.txt") {
    if (argv.empty()) throw std::invalid_argument("ChildProcess: empty argv");
    int out_pipe[2];
    if (::pipe(out_pipe) != 0) throw std::runtime_error("pipe failed");
    int err_fd = ::open(stderr_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (err_fd < 0) throw std::runtime_error("cannot create " + stderr_path_.string());
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        ::dup2(out_pipe[1], 1);
        ::dup2(err_fd, 2);
        ::close(out_pipe[0]);
        ::close(out_pipe[1]);
        int devnull = ::open("/dev/null", O_RDONLY);
        if (devnull >= 0) ::dup2(devnull, 0);
        // Its own process group, so stopping it also stops anything it spawned.
        ::setpgid(0, 0);
        for (const auto& [name, value] : extra_env) ::setenv(name.c_str(), value.c_str(), 1);
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        ::execvp(args[0], args.data());
        _exit(127);
    }
    ::close(out_pipe[1]);
    ::close(err_fd);
    stdout_fd_ = out_pipe[0];
}

ChildProcess::~ChildProcess() { stop(); }

std::optional<std::string> ChildProcess::read_line(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        auto nl = pending_.find('\n');
        if (nl != std::string::npos) {
            std::string line = pending_.substr(0, nl);
            pending_.erase(0, nl + 1);
            return line;
        }
        if (stdout_fd_ < 0) return std::nullopt;
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return std::nullopt;
        pollfd pfd{stdout_fd_, POLLIN, 0};
        int r = ::poll(&pfd, 1, static_cast<int>(left.count()));
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return std::nullopt;
        char buf[4096];
        ssize_t n = ::read(stdout_fd_, buf, sizeof buf);
        if (n <= 0) {
            ::close(stdout_fd_);
            stdout_fd_ = -1;
            continue;
        }
        pending_.append(buf, static_cast<std::size_t>(n));
    }
}

bool ChildProcess::running() {
    if (pid_ <= 0) return false;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return false;
    }
    return true;
}

void ChildProcess::stop() {
    if (pid_ > 0) {
        ::kill(-pid_, SIGTERM);
        ::kill(pid_, SIGTERM);
        auto deadline = std::chrono::steady_clock::now() + 5s;
        int status = 0;
        while (::waitpid(pid_, &status, WNOHANG) == 0) {
            if (std::chrono::steady_clock::now() > deadline) {
                ::kill(-pid_, SIGKILL);
                ::kill(pid_, SIGKILL);
                ::waitpid(pid_, &status, 0);
                break;
            }
            std::this_thread::sleep_for(20ms);
        }
        pid_ = -1;
    }
    if (stdout_fd_ >= 0) {
        ::close(stdout_fd_);
        stdout_fd_ = -1;
    }
}

std::string ChildProcess::stderr_text() const {
    std::ifstream in(stderr_path_);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

bool wait_for_port(std::uint16_t port, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) return false;
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
        ::close(fd);
        if (ok) return true;
        std::this_thread::sleep_for(25ms);
    }
    return false;
}

std::uint16_t pick_free_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw std::runtime_error("socket failed");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = 0;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        ::close(fd);
        throw std::runtime_error("cannot bind a loopback port");
    }
    ::close(fd);
    return ntohs(addr.sin_port);
}

static bool node_available() {
    return run_command({"node", "--version"}).exit_code == 0;
}

bool RelayPeer::available() { return peers_dir().has_value() && node_available(); }

RelayPeer::RelayPeer(RelayPeerOptions options) : options_(std::move(options)), db_(dir_ / "relay.sqlite") {
    start();
}

RelayPeer::~RelayPeer() { stop(); }

std::string RelayPeer::url() const { return "ws://127.0.0.1:" + std::to_string(port_); }
std::string RelayPeer::http_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

void RelayPeer::start() {
    if (process_) return;
    auto peers = peers_dir();
    if (!peers) throw std::runtime_error("tests/peers/node_modules is missing (BROTR_PEERS_DIR)");
    std::vector<std::string> argv = {"node", (*peers / "relay.mjs").string(), "--port", std::to_string(port_),
                                     "--db", db_.string()};
    // The corpus goes in once; a restart keeps the data in the sqlite file.
    if (options_.load_jsonl && port_ == 0) {
        argv.insert(argv.end(), {"--load", options_.load_jsonl->string()});
    }
    if (!options_.nip11_json.empty()) argv.insert(argv.end(), {"--nip11", options_.nip11_json});
    if (options_.reject_writes) argv.push_back("--reject-writes");
    if (options_.min_pow > 0) argv.insert(argv.end(), {"--min-pow", std::to_string(options_.min_pow)});
    if (!options_.auth_hostname.empty()) argv.insert(argv.end(), {"--auth", options_.auth_hostname});
    if (!options_.deflate) argv.push_back("--no-deflate");

    auto process = std::make_unique<ChildProcess>(argv);
    auto line = process->read_line(60s);
    const std::string prefix = "ready port=";
    if (!line || line->rfind(prefix, 0) != 0) {
        std::string err = process->stderr_text();
        throw std::runtime_error("relay.mjs did not start: " + (line ? *line : std::string("no output")) +
                                 (err.empty() ? "" : " | stderr: " + err));
    }
    port_ = static_cast<std::uint16_t>(std::stoi(line->substr(prefix.size())));
    process_ = std::move(process);
}

void RelayPeer::stop() {
    if (process_) process_->stop();
    process_.reset();
}

std::size_t RelayPeer::load_events(const fs::path& jsonl) {
    auto peers = peers_dir();
    if (!peers) throw std::runtime_error("tests/peers/node_modules is missing (BROTR_PEERS_DIR)");
    auto out = run_command({"node", (*peers / "load-events.mjs").string(), "--db", db_.string(), jsonl.string()});
    const std::string prefix = "loaded inserted=";
    if (out.exit_code != 0 || out.out.rfind(prefix, 0) != 0) {
        throw std::runtime_error("load-events.mjs failed: " + out.err);
    }
    return std::stoul(out.out.substr(prefix.size()));
}

void generate_events(const GeneratedEvents& spec, const fs::path& out_jsonl) {
    auto peers = peers_dir();
    if (!peers) throw std::runtime_error("tests/peers/node_modules is missing (BROTR_PEERS_DIR)");
    std::vector<std::string> argv = {"node",         (*peers / "gen-events.mjs").string(),
                                     "--count",      std::to_string(spec.count),
                                     "--start",      std::to_string(spec.start),
                                     "--per-second", std::to_string(spec.per_second),
                                     "--kind",       std::to_string(spec.kind),
                                     "--content",    spec.content};
    if (!spec.secret_hex.empty()) argv.insert(argv.end(), {"--secret", spec.secret_hex});
    for (const auto& [name, value] : spec.tags) argv.insert(argv.end(), {"--tag", name + "=" + value});
    auto out = run_command(argv);
    if (out.exit_code != 0) throw std::runtime_error("gen-events.mjs failed: " + out.err);
    write_file(out_jsonl, out.out);
}

std::vector<std::string> read_lines(const fs::path& file) {
    std::ifstream in(file);
    if (!in) throw std::runtime_error("cannot read " + file.string());
    std::vector<std::string> lines;
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty()) lines.push_back(line);
    }
    return lines;
}

}  // namespace brotr::test
