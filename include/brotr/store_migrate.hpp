// Converting a store of an older major format to this build's
// (docs/store-format.md, "Format versions"). `brotr migrate` runs it.
#pragma once

#include <cstdint>
#include <string>

namespace brotr {

struct MigrationReport {
    bool needed = false;  // false: the store was at this build's format already
    std::uint32_t from_major = 0, from_minor = 0;
    std::uint32_t to_major = 0, to_minor = 0;
    std::uint64_t rewritten = 0;  // values converted
    std::string copy_path;        // the store as it was, kept
};

// Opens the store at `path` for writing, keeps a copy of it as it is at
// `copy_path` (a RocksDB checkpoint: hard links where the filesystem allows,
// so it is quick and small; `copy_path` must not exist), then converts it
// step by step to this build's format. The format is written last, so a
// migration cut short leaves a store of the old format that migrates again.
// Throws StoreError (nothing changed when the copy could not be made).
MigrationReport migrate_store(const std::string& path, const std::string& copy_path);

}  // namespace brotr
