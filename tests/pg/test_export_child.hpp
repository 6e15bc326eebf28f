// A child process that runs while the test watches it, and can be killed:
// its output goes to files the test reads afterwards. (Named apart from
// support/relay_peer.hpp's ChildProcess: both are linked into the pg tests.)
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/test_env.hpp"

extern char** environ;

namespace brotr::test {

class WatchedChild {
public:
    WatchedChild(const std::vector<std::string>& argv, const std::filesystem::path& output_prefix)
        : out_path_(output_prefix.string() + ".out"), err_path_(output_prefix.string() + ".err") {
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_addopen(&actions, 1, out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        posix_spawn_file_actions_addopen(&actions, 2, err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        const int rc = posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        if (rc != 0) throw std::runtime_error("cannot start " + argv[0]);
    }

    ~WatchedChild() {
        if (!status_) {
            ::kill(pid_, SIGKILL);
            wait();
        }
    }

    WatchedChild(const WatchedChild&) = delete;
    WatchedChild& operator=(const WatchedChild&) = delete;

    // Exit code, or nullopt while it runs.
    std::optional<int> poll() {
        if (status_) return exit_code();
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) status_ = status;
        return status_ ? std::optional<int>(exit_code()) : std::nullopt;
    }

    int wait() {
        if (!status_) {
            int status = 0;
            ::waitpid(pid_, &status, 0);
            status_ = status;
        }
        return exit_code();
    }

    void kill(int signal) { ::kill(pid_, signal); }

    bool killed_by(int signal) const { return status_ && WIFSIGNALED(*status_) && WTERMSIG(*status_) == signal; }
    std::string out() const { return read_file(out_path_); }
    std::string err() const { return read_file(err_path_); }

private:
    // -1 when it did not exit normally.
    int exit_code() const { return WIFEXITED(*status_) ? WEXITSTATUS(*status_) : -1; }

    std::string out_path_, err_path_;
    pid_t pid_ = -1;
    std::optional<int> status_;
};

}  // namespace brotr::test
