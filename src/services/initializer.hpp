// The Initializer (docs/services.md): creates or opens the store of the
// configured variant, then seeds the relay registry from `seed.file_path`:
// one URL per line, `#` starts a comment, invalid lines are skipped (debug
// log), duplicates are ignored, and the counts are reported.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "brotr/config.hpp"
#include "brotr/relay_url.hpp"
#include "brotr/store.hpp"
#include "runtime/service.hpp"

namespace brotr::services {

struct SeedList {
    std::vector<RelayUrl> urls;   // normalized, first occurrence order, no duplicates
    std::size_t lines = 0;        // lines read
    std::size_t invalid = 0;      // lines that are not a relay URL
    std::size_t duplicates = 0;   // URLs seen before in the file (after normalization)
};

// Throws std::runtime_error when the file cannot be read.
SeedList read_seed_file(const std::filesystem::path& file);

struct SeedReport {
    SeedList list;           // urls cleared after inserting; counts kept
    std::size_t valid = 0;   // distinct relay URLs in the file
    std::size_t added = 0;   // of those, new to the registry
};

SeedReport seed_relays(Store& store, const std::filesystem::path& file, std::int64_t now);

struct InitReport {
    bool created = false;  // the store did not exist before
    std::optional<SeedReport> seed;  // absent when seed.enabled is false
};

// Creates or opens the store of config.brotr.store (Store::init: a store of
// the other variant is refused), then seeds. Throws StoreError or
// std::runtime_error. `store` (if given) receives the open store.
InitReport initialize(const Config& config, std::optional<Store>* store = nullptr);

// The initializer inside `brotr run`: one cycle that seeds the open store.
class InitializerService : public runtime::Service {
public:
    static constexpr std::string_view kName = "initializer";
    InitializerService(Store& store, InitializerConfig config) : store_(store), config_(std::move(config)) {}

    std::string_view name() const override { return kName; }
    std::chrono::seconds interval() const override { return std::chrono::seconds(0); }
    bool one_shot() const override { return true; }
    boost::asio::awaitable<runtime::CycleReport> run_cycle(runtime::Shutdown& shutdown) override;

private:
    Store& store_;
    InitializerConfig config_;
};

// The summary fields of a seeding, as logged and printed.
runtime::CycleReport seed_report_fields(const SeedReport& report);

}  // namespace brotr::services
