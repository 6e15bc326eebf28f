#include "support/test_env.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <string_view>
#include <sstream>
#include <stdexcept>
#include <system_error>

namespace fs = std::filesystem;

namespace brotr::test {

// Where things are when the tests run from this build tree (compiled in), so
// a test binary finds them whether ctest or a person starts it. The
// environment variable of the same name overrides each.
static std::optional<std::string> build_tree_default(std::string_view name) {
    const std::string source = BROTR_TEST_SOURCE_DIR;
    const std::string binary = BROTR_TEST_BINARY_DIR;
    if (name == "BROTR_SOURCE_DIR") return source;
    if (name == "BROTR_SHARED_DATA") return source + "/../shared/data";
    if (name == "BROTR_PEERS_DIR") return source + "/tests/peers";
    if (name == "BROTR_BIN") return binary + "/brotr";
    if (name == "BROTR_DUMP_BIN") return binary + "/brotr-dump";
    if (name == "BROTR_PG_ENV") return binary + "/test-pg/env";
    if (name == "BROTR_TEST_OUTPUT_DIR") return binary + "/test-output";
    return std::nullopt;
}

std::optional<std::string> env(const char* name) {
    const char* v = std::getenv(name);
    if (v == nullptr || *v == '\0') return build_tree_default(name);
    return std::string(v);
}

std::optional<fs::path> shared_data_dir() {
    auto dir = env("BROTR_SHARED_DATA");
    if (!dir || !fs::exists(*dir)) return std::nullopt;
    return fs::path(*dir);
}

std::optional<fs::path> peers_dir() {
    auto dir = env("BROTR_PEERS_DIR");
    if (!dir || !fs::exists(fs::path(*dir) / "node_modules")) return std::nullopt;
    return fs::path(*dir);
}

static fs::path required_path(const char* name) {
    auto v = env(name);
    if (!v) throw std::runtime_error(std::string(name) + " is not set (run the tests through ctest)");
    return *v;
}

fs::path brotr_bin() { return required_path("BROTR_BIN"); }
fs::path brotr_dump_bin() { return required_path("BROTR_DUMP_BIN"); }

fs::path test_output_dir() {
    const fs::path dir = required_path("BROTR_TEST_OUTPUT_DIR");
    fs::create_directories(dir);
    return dir;
}

TempDir::TempDir() {
    std::random_device rd;
    for (int attempt = 0; attempt < 100; ++attempt) {
        auto candidate = fs::temp_directory_path() /
                         ("brotr-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
        std::error_code ec;
        if (fs::create_directory(candidate, ec)) {
            path_ = candidate;
            return;
        }
    }
    throw std::runtime_error("cannot create a temporary directory");
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
}

CommandOutput run_command(const std::vector<std::string>& argv, const std::string& input) {
    int in_pipe[2], out_pipe[2], err_pipe[2];
    if (::pipe(in_pipe) || ::pipe(out_pipe) || ::pipe(err_pipe)) throw std::runtime_error("pipe failed");
    pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        ::dup2(in_pipe[0], 0);
        ::dup2(out_pipe[1], 1);
        ::dup2(err_pipe[1], 2);
        for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) ::close(fd);
        std::vector<char*> args;
        for (auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        ::execvp(args[0], args.data());
        _exit(127);
    }
    ::close(in_pipe[0]);
    ::close(out_pipe[1]);
    ::close(err_pipe[1]);
    ::fcntl(in_pipe[1], F_SETFL, O_NONBLOCK);

    CommandOutput result;
    std::size_t written = 0;
    bool in_open = true;
    if (input.empty()) {
        ::close(in_pipe[1]);
        in_open = false;
    }
    bool out_open = true, err_open = true;
    char buf[65536];
    while (out_open || err_open) {
        pollfd fds[3];
        int n = 0;
        int out_idx = -1, err_idx = -1, in_idx = -1;
        if (out_open) { fds[n] = {out_pipe[0], POLLIN, 0}; out_idx = n++; }
        if (err_open) { fds[n] = {err_pipe[0], POLLIN, 0}; err_idx = n++; }
        if (in_open) { fds[n] = {in_pipe[1], POLLOUT, 0}; in_idx = n++; }
        if (::poll(fds, n, -1) < 0) continue;
        if (out_idx >= 0 && fds[out_idx].revents) {
            ssize_t r = ::read(out_pipe[0], buf, sizeof buf);
            if (r <= 0) out_open = false; else result.out.append(buf, static_cast<std::size_t>(r));
        }
        if (err_idx >= 0 && fds[err_idx].revents) {
            ssize_t r = ::read(err_pipe[0], buf, sizeof buf);
            if (r <= 0) err_open = false; else result.err.append(buf, static_cast<std::size_t>(r));
        }
        if (in_idx >= 0 && fds[in_idx].revents) {
            ssize_t w = ::write(in_pipe[1], input.data() + written, input.size() - written);
            if (w > 0) written += static_cast<std::size_t>(w);
            if (w < 0 || written == input.size()) {
                ::close(in_pipe[1]);
                in_open = false;
            }
        }
    }
    if (in_open) ::close(in_pipe[1]);
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + p.string());
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void write_file(const fs::path& p, const std::string& content) {
    std::ofstream out(p, std::ios::binary);
    if (!out) throw std::runtime_error("cannot write " + p.string());
    out << content;
}

}  // namespace brotr::test
