// Real peers as child processes: the relay of tests/peers/relay.mjs (the
// third-party @nostr-relay packages) on a free loopback port, and the node
// helpers that generate signed events and bulk-load them into its repository.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "support/test_env.hpp"

namespace brotr::test {

// A child process whose stdout is readable line by line and whose stderr is
// kept in a file (shown when it fails). Stopped on destruction: SIGTERM, then
// SIGKILL if it has not exited after a few seconds.
class ChildProcess {
public:
    using EnvVars = std::vector<std::pair<std::string, std::string>>;
    ChildProcess(const std::vector<std::string>& argv, const EnvVars& extra_env = {});
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    // Next line of stdout without its newline; nullopt on timeout or end of output.
    std::optional<std::string> read_line(std::chrono::milliseconds timeout);
    bool running();
    void stop();
    pid_t pid() const { return pid_; }
    std::string stderr_text() const;

private:
    pid_t pid_ = -1;
    int stdout_fd_ = -1;
    std::string pending_;
    TempDir dir_;  // holds the stderr file
    std::filesystem::path stderr_path_;
};

// Polls until something accepts TCP connections on 127.0.0.1:port.
bool wait_for_port(std::uint16_t port, std::chrono::milliseconds timeout);
// A port that was free a moment ago (bind to port 0, read, close).
std::uint16_t pick_free_port();

struct RelayPeerOptions {
    std::optional<std::filesystem::path> load_jsonl{};  // loaded before listening
    std::string nip11_json{};     // JSON object merged into the NIP-11 document
    bool reject_writes = false;   // every EVENT answered OK false
    int min_pow = 0;              // NIP-13 difficulty enforced and announced
    std::string auth_hostname{};  // non-empty: NIP-42 challenges with this relay host
    bool deflate = true;          // offer permessage-deflate
};

// tests/peers/relay.mjs with a sqlite file in its own temporary directory.
class RelayPeer {
public:
    // True when node and tests/peers/node_modules are there; tests GTEST_SKIP otherwise.
    static bool available();

    explicit RelayPeer(RelayPeerOptions options = {});
    ~RelayPeer();
    RelayPeer(const RelayPeer&) = delete;
    RelayPeer& operator=(const RelayPeer&) = delete;

    std::uint16_t port() const { return port_; }
    std::string url() const;       // ws://127.0.0.1:<port>
    std::string http_url() const;  // http://127.0.0.1:<port>
    const std::filesystem::path& db_path() const { return db_; }

    // Loads a JSONL file of events straight into the repository (no signature
    // checks, thousands per second); returns the number newly inserted.
    std::size_t load_events(const std::filesystem::path& jsonl);

    // Stops the relay (connections drop); start() brings it back on the same
    // port with the same data.
    void stop();
    void start();
    bool running() const { return process_ != nullptr; }

private:
    RelayPeerOptions options_;
    TempDir dir_;
    std::filesystem::path db_;
    std::uint16_t port_ = 0;
    std::unique_ptr<ChildProcess> process_;
};

struct GeneratedEvents {
    std::size_t count = 0;
    std::int64_t start = 1700000000;  // created_at of the first event
    std::size_t per_second = 1;       // events sharing each second
    int kind = 1;
    std::string secret_hex{};         // empty: a fresh random key
    std::string content = "event";
    std::vector<std::pair<std::string, std::string>> tags{};
};

// Signs events with nostr-tools (tests/peers/gen-events.mjs) into a JSONL file.
void generate_events(const GeneratedEvents& spec, const std::filesystem::path& out_jsonl);
// The lines of a JSONL file (empty lines skipped).
std::vector<std::string> read_lines(const std::filesystem::path& file);

}  // namespace brotr::test
