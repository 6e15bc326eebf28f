#include "support/brotr_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>
#include <thread>

#include "support/test_env.hpp"

namespace brotr::test {

using namespace std::chrono_literals;

BrotrProcess::BrotrProcess(const std::vector<std::string>& args, const std::filesystem::path& log) : log_(log) {
    std::vector<std::string> argv{brotr_bin().string()};
    argv.insert(argv.end(), args.begin(), args.end());
    write_file(log, "");  // exists before the child writes to it
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        int fd = ::open(log.c_str(), O_WRONLY | O_APPEND);
        int null = ::open("/dev/null", O_RDWR);
        if (fd < 0 || null < 0) _exit(126);
        ::dup2(null, 0);
        ::dup2(fd, 1);
        ::dup2(fd, 2);
        std::vector<char*> cargs;
        for (auto& a : argv) cargs.push_back(a.data());
        cargs.push_back(nullptr);
        ::execv(cargs[0], cargs.data());
        _exit(127);
    }
}

BrotrProcess::~BrotrProcess() {
    if (pid_ > 0 && !exited_) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }
}

std::string BrotrProcess::log() const { return read_file(log_); }

bool BrotrProcess::wait_for_log(const std::string& text, std::chrono::seconds timeout) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < end) {
        if (log().find(text) != std::string::npos) return true;
        if (exited()) return log().find(text) != std::string::npos;
        std::this_thread::sleep_for(50ms);
    }
    return false;
}

void BrotrProcess::signal(int sig) { ::kill(pid_, sig); }

std::optional<int> BrotrProcess::wait(std::chrono::seconds timeout) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < end) {
        if (exited()) return code_;
        std::this_thread::sleep_for(20ms);
    }
    return std::nullopt;
}

bool BrotrProcess::exited() {
    if (exited_) return true;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) != pid_) return false;
    exited_ = true;
    code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return true;
}

}  // namespace brotr::test
