// brotr compact: rewrite the whole store into its most compact form. A bulk
// import writes event rows LZ4-compressed, straight into the bottom level,
// where nothing rewrites them; a full compaction recompresses them with
// zstd and merges the index files that imports and writes have stacked up.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>

#include "brotr/store.hpp"
#include "cli/store_commands.hpp"

namespace brotr::cli {
namespace {

struct CompactOptions {
    std::string store{kDefaultStorePath};
};

// Bytes of every file under `dir`: what the store takes on disk.
std::uintmax_t bytes_on_disk(const std::string& dir) {
    std::uintmax_t total = 0;
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(dir, ec); !ec && it != std::filesystem::recursive_directory_iterator();
         it.increment(ec))
        if (it->is_regular_file(ec)) total += it->file_size(ec);
    return total;
}

int run_compact(const CompactOptions& o) {
    try {
        Store store = Store::open(o.store);
        const std::uintmax_t before = bytes_on_disk(o.store);
        const auto start = std::chrono::steady_clock::now();
        store.compact();
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const std::uintmax_t after = bytes_on_disk(o.store);
        std::printf("compact: %s from %.1f MB to %.1f MB in %.1f s\n", store.path().c_str(), static_cast<double>(before) / 1e6,
                    static_cast<double>(after) / 1e6, secs);
        return kExitOk;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "brotr compact: error: %s\n", e.what());
        return kExitFailure;
    }
}

}  // namespace

void add_compact_command(CLI::App& app, CommandResult& result) {
    auto o = std::make_shared<CompactOptions>();
    auto* cmd = app.add_subcommand(
        "compact",
        "Rewrite the store into its most compact form (a full compaction; worth running after a large import). "
        "Needs the store to itself: stop `brotr run` first. Prints the size on disk before and after.");
    cmd->add_option("--store", o->store, "store directory")->capture_default_str();
    cmd->callback([o, &result] { result.exit_code = run_compact(*o); });
}

}  // namespace brotr::cli
