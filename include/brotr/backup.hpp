// Backups of a store (docs/store-format.md, "Backups"): online and
// incremental. A backup directory holds any number of numbered backups; the
// table files they share are stored once, so a new backup copies only what
// changed since the last one. A backup is a consistent point in time of the
// whole store (every column family): it holds every write that completed
// before it began, and a write in flight either whole or not at all.
//
// Errors (an unwritable or missing directory, an unknown id, a corrupt file,
// a non-empty target) throw BackupError with a message naming what and where.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace brotr {

class Store;

class BackupError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

inline constexpr std::uint32_t kMaxBackupsKept = 1000;

struct BackupInfo {
    std::uint32_t id = 0;
    std::int64_t created_at = 0;   // Unix time
    std::uint64_t size = 0;        // bytes of its files, shared ones included
    std::uint32_t files = 0;       // its files, shared ones included
    // Bytes of its files that no older backup in the directory holds: what
    // making it copied (as far as the older backups are still there).
    std::uint64_t new_bytes = 0;
    std::string variant;           // of the store it was taken from
    std::string format_version;
};

struct BackupResult {
    BackupInfo backup;  // id 0 when stopped
    bool stopped = false;  // `stop` said so before the backup was complete: none was made
    std::uint32_t purged = 0;  // older backups deleted to keep `keep`
    std::uint32_t kept = 0;    // backups in the directory afterwards
    double seconds = 0;
};

// Backs up a store opened for writing (OpenMode::read_write) into `dir`,
// created if missing, while other threads keep writing. Then deletes the
// oldest backups beyond `keep` (1 to kMaxBackupsKept; 0: keep all).
// `stop` (if given) is asked after every MiB copied of a file; when it returns true
// the backup ends unfinished, and the next one removes what it copied.
BackupResult create_backup(Store& store, const std::string& dir, std::uint32_t keep = 0,
                           const std::function<bool()>& stop = {});

// Backups in `dir`, oldest first. Throws when `dir` is not a backup directory.
std::vector<BackupInfo> list_backups(const std::string& dir);

struct BackupCheck {
    std::uint32_t id = 0;
    bool ok = false;
    std::string problem;  // empty when ok
};
// Re-reads every file of every backup and compares its checksum and size
// with those recorded when it was made.
std::vector<BackupCheck> verify_backups(const std::string& dir);

struct RestoreResult {
    BackupInfo backup;
    double seconds = 0;
};
// Restores backup `id` (nullopt: the newest) as the store at `store_path`.
// Refuses a non-empty `store_path` unless `force`; with `force` the old
// contents are replaced, and only once the restored copy opens as a store.
// Refuses a store another process holds open.
RestoreResult restore_backup(const std::string& dir, std::optional<std::uint32_t> id, const std::string& store_path,
                             bool force);

}  // namespace brotr
