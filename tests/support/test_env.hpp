// Helpers shared by the tests: where things are, temporary directories, and
// running the brotr binaries as child processes.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace brotr::test {

// Environment variable or nullopt when unset/empty.
std::optional<std::string> env(const char* name);

// ../shared/data (reference data); nullopt when it is absent.
std::optional<std::filesystem::path> shared_data_dir();
// tests/peers with its node_modules installed; nullopt when absent.
std::optional<std::filesystem::path> peers_dir();
std::filesystem::path brotr_bin();
std::filesystem::path brotr_dump_bin();
// Where tests leave files for people to look at (screenshots): created if
// needed; $BROTR_TEST_OUTPUT_DIR, by default test-output/ in the build tree.
std::filesystem::path test_output_dir();

// A fresh directory removed on destruction.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

struct CommandOutput {
    int exit_code = -1;  // -1 when killed by a signal
    std::string out;
    std::string err;
};

// Runs argv[0] with the arguments, feeding `input` on stdin; waits for exit.
CommandOutput run_command(const std::vector<std::string>& argv, const std::string& input = {});

std::string read_file(const std::filesystem::path& p);
void write_file(const std::filesystem::path& p, const std::string& content);

}  // namespace brotr::test
