// A `brotr import` killed with SIGKILL in the middle of its work loses no
// batch it reported as written, and the store reopens cleanly.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <regex>
#include <thread>

#include "brotr/store.hpp"
#include "support/test_env.hpp"
#include "unit/test_store_fixtures.hpp"

namespace brotr {
namespace {

// A child process whose stdin we write and whose stderr we read line by line.
class Child {
public:
    explicit Child(const std::vector<std::string>& argv) {
        int in[2], err[2];
        if (::pipe(in) || ::pipe(err)) throw std::runtime_error("pipe failed");
        pid_ = ::fork();
        if (pid_ == 0) {
            ::dup2(in[0], 0);
            ::dup2(err[1], 2);
            int devnull = ::open("/dev/null", O_WRONLY);
            ::dup2(devnull, 1);
            for (int fd : {in[0], in[1], err[0], err[1], devnull}) ::close(fd);
            std::vector<char*> args;
            for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
            args.push_back(nullptr);
            ::execv(args[0], args.data());
            _exit(127);
        }
        ::close(in[0]);
        ::close(err[1]);
        stdin_ = in[1];
        stderr_ = ::fdopen(err[0], "r");
    }
    ~Child() {
        if (stdin_ >= 0) ::close(stdin_);
        if (stderr_) std::fclose(stderr_);
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
    }
    // Writes everything (blocking); false if the child closed its input.
    bool write(const std::string& data) {
        std::size_t at = 0;
        while (at < data.size()) {
            ssize_t n = ::write(stdin_, data.data() + at, data.size() - at);
            if (n <= 0) return false;
            at += static_cast<std::size_t>(n);
        }
        return true;
    }
    bool read_line(std::string& line) {
        char buf[4096];
        if (!std::fgets(buf, sizeof buf, stderr_)) return false;
        line = buf;
        return true;
    }
    int kill_and_wait() {
        ::kill(pid_, SIGKILL);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
        return status;
    }

private:
    pid_t pid_ = -1;
    int stdin_ = -1;
    std::FILE* stderr_ = nullptr;
};

// Each batch committed on its own: through the log, or as SST files.
class StoreDurability : public ::testing::TestWithParam<std::vector<std::string>> {};

TEST_P(StoreDurability, SigkillMidImportLosesNoReportedBatch) {
    ::signal(SIGPIPE, SIG_IGN);
    test::TempDir dir;
    const std::string path = (dir / "store").string();
    { Store s = Store::init(path, StoreVariant::bigbrotr); }

    test::EventGenerator gen(123, 50);
    const auto events = gen.batch(3000);
    std::vector<std::string> argv = {test::brotr_bin().string(), "import", "--store", path, "--relay", "wss://relay.example.com",
                                     "--batch-size", "100", "--progress-interval", "0"};
    argv.insert(argv.end(), GetParam().begin(), GetParam().end());
    Child child(argv);

    // Feed the input from another thread, as a pipe from a slow producer would.
    std::atomic<bool> stop{false};
    std::thread feeder([&] {
        for (std::size_t i = 0; i < events.size() && !stop; i += 50) {
            std::vector<Event> part(events.begin() + static_cast<std::ptrdiff_t>(i),
                                    events.begin() + static_cast<std::ptrdiff_t>(std::min(events.size(), i + 50)));
            if (!child.write(test::to_jsonl(part))) return;
        }
        // Keep the import running: never close its input.
        while (!stop) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    });

    // Kill it after several batches were reported written, while it still works.
    const std::regex progress(R"(import: progress read=(\d+) stored=(\d+))");
    std::uint64_t reported_lines = 0, reported_stored = 0;
    int batches = 0;
    std::string line;
    while (batches < 12 && child.read_line(line)) {
        std::smatch m;
        if (!std::regex_search(line, m, progress)) continue;
        reported_lines = std::stoull(m[1]);
        reported_stored = std::stoull(m[2]);
        ++batches;
    }
    const int status = child.kill_and_wait();
    stop = true;
    feeder.join();
    ASSERT_TRUE(WIFSIGNALED(status)) << "the import ended by itself before it could be killed";
    ASSERT_EQ(batches, 12);
    ASSERT_GE(reported_lines, 1200u);

    // Batches are written in input order: every reported line is in the store.
    Store s = Store::open(path);
    for (std::size_t i = 0; i < reported_lines; ++i) {
        ASSERT_TRUE(s.get_event(events[i].id).has_value()) << "line " << i << " was reported written but is lost";
        ASSERT_EQ(s.event_relays(events[i].id).size(), 1u);
    }
    EXPECT_GE(s.summary().events, reported_stored);
    auto report = s.check();
    EXPECT_TRUE(report.ok()) << (report.problems.empty() ? "" : report.problems.front());

    // And it keeps working: the rest imports on top.
    std::vector<EventWithRelay> rest;
    for (std::size_t i = reported_lines; i < events.size(); ++i) rest.push_back({events[i], nullptr, 0, false});
    auto result = s.insert_events(rest);
    EXPECT_EQ(result.stored + result.duplicates, rest.size());
    EXPECT_EQ(s.summary().events, events.size());
    EXPECT_TRUE(s.check().ok());
}

INSTANTIATE_TEST_SUITE_P(Commit, StoreDurability,
                         ::testing::Values(std::vector<std::string>{"--commit-interval", "0"},
                                           std::vector<std::string>{"--commit-size", "1"}),
                         [](const auto& p) { return p.param[0] == "--commit-size" ? "AsFiles" : "ThroughLog"; });

}  // namespace
}  // namespace brotr
