// A brotr process started by a test: its stderr (the log) goes to a file,
// so the test can wait for a log line, signal the process and read its exit
// status. Killed at destruction if still running.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace brotr::test {

class BrotrProcess {
public:
    BrotrProcess(const std::vector<std::string>& args, const std::filesystem::path& log);
    ~BrotrProcess();
    BrotrProcess(const BrotrProcess&) = delete;
    BrotrProcess& operator=(const BrotrProcess&) = delete;

    std::string log() const;
    // Polls the log for `text`; false on timeout or when the process ended without it.
    bool wait_for_log(const std::string& text, std::chrono::seconds timeout);
    void signal(int sig);
    // Exit code, -1 for a signal, nullopt if still running after `timeout`.
    std::optional<int> wait(std::chrono::seconds timeout);

private:
    bool exited();

    std::filesystem::path log_;
    pid_t pid_ = -1;
    bool exited_ = false;
    int code_ = -1;
};

}  // namespace brotr::test
