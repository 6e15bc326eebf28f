// Backups with RocksDB's BackupEngine (docs/store-format.md, "Backups").
//
// Table files are shared between the backups of one directory, named by the
// file number and the session that wrote them, so a new backup copies only
// the files written since the last one. Each backup also holds its own copy
// of the files that change (MANIFEST, OPTIONS, CURRENT, and the write-ahead
// log that is still live), with a checksum of every file in its meta file.
#include "brotr/backup.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <set>
#include <system_error>

#include <rocksdb/env.h>
#include <rocksdb/utilities/backup_engine.h>

#include "brotr/store.hpp"
#include "storage/store_impl.hpp"

namespace fs = std::filesystem;

namespace brotr {

namespace {

// Per-file copy threads: backups are bound by the disk, and run beside the
// services, so one is enough.
rocksdb::BackupEngineOptions engine_options(const std::string& dir) {
    rocksdb::BackupEngineOptions o(dir);
    o.max_background_operations = 1;
    // How often a running backup asks whether to stop (create_backup's
    // `stop`): after each MiB a file copy adds.
    o.callback_trigger_interval_size = 1u << 20;
    return o;
}

[[noreturn]] void fail(const std::string& what, const rocksdb::Status& s) {
    throw BackupError(what + ": " + s.ToString());
}

// What brotr records with each backup (BackupEngine's application metadata).
std::string metadata_of(const Store& store) {
    return "variant=" + std::string(to_string(store.variant())) +
           " format_version=" + std::to_string(kStoreFormatVersion);
}

std::string field(const std::string& metadata, const std::string& name) {
    const std::string key = name + "=";
    std::size_t at = 0;
    while ((at = metadata.find(key, at)) != std::string::npos) {
        if (at == 0 || metadata[at - 1] == ' ') {
            const std::size_t start = at + key.size();
            return metadata.substr(start, metadata.find(' ', start) - start);
        }
        at += key.size();
    }
    return {};
}

// The engine's backups, oldest first, with the bytes each added to those before it.
std::vector<BackupInfo> describe(std::vector<rocksdb::BackupInfo> infos) {
    std::sort(infos.begin(), infos.end(), [](const auto& a, const auto& b) { return a.backup_id < b.backup_id; });
    std::set<std::string> seen;
    std::vector<BackupInfo> out;
    for (const auto& info : infos) {
        BackupInfo b;
        b.id = info.backup_id;
        b.created_at = info.timestamp;
        b.size = info.size;
        b.files = info.number_files;
        b.variant = field(info.app_metadata, "variant");
        b.format_version = field(info.app_metadata, "format_version");
        for (const auto& f : info.file_details) {
            // Relative to the backup directory: shared files have one name in every backup.
            if (seen.insert(f.relative_filename).second) b.new_bytes += f.size;
        }
        out.push_back(std::move(b));
    }
    return out;
}

std::unique_ptr<rocksdb::BackupEngineReadOnly> open_read_only(const std::string& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw BackupError("no backup directory at " + dir);
    if (!fs::is_directory(fs::path(dir) / "meta", ec)) throw BackupError("no backups in " + dir);
    rocksdb::BackupEngineReadOnly* raw = nullptr;
    auto s = rocksdb::BackupEngineReadOnly::Open(engine_options(dir), rocksdb::Env::Default(), &raw);
    if (!s.ok()) fail("cannot read the backups in " + dir, s);
    return std::unique_ptr<rocksdb::BackupEngineReadOnly>(raw);
}

std::string ids_of(const std::vector<BackupInfo>& backups) {
    std::string ids;
    for (const auto& b : backups) ids += (ids.empty() ? "" : ", ") + std::to_string(b.id);
    return ids;
}

bool inside(const fs::path& child, const fs::path& parent) {
    auto c = fs::weakly_canonical(child), p = fs::weakly_canonical(parent);
    auto [pend, cend] = std::mismatch(p.begin(), p.end(), c.begin(), c.end());
    return pend == p.end();
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// A new directory beside `target` named after it (with the permissions any
// new directory gets, unlike mkdtemp's owner-only ones: it becomes the store).
fs::path sibling_dir(const fs::path& target, const std::string& tag) {
    for (unsigned n = 0;; ++n) {
        const fs::path dir = target.parent_path() /
                             (target.filename().string() + "." + tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(n));
        std::error_code ec;
        if (fs::create_directory(dir, ec)) return dir;
        if (ec || n >= 1000) throw BackupError("cannot create a directory beside " + target.string() + ": " + ec.message());
    }
}

}  // namespace

BackupResult create_backup(Store& store, const std::string& dir, std::uint32_t keep,
                           const std::function<bool()>& stop) {
    if (keep > kMaxBackupsKept)
        throw BackupError("keep must be 1 to " + std::to_string(kMaxBackupsKept) + " backups, got " + std::to_string(keep));
    if (dir.empty()) throw BackupError("no backup directory given");
    if (inside(dir, store.path()))
        throw BackupError("backup directory " + dir + " is inside the store " + store.path() +
                          "; put it beside the store");
    Store::Impl& impl = StoreAccess::impl(store);
    impl.require_writable();
    const auto start = std::chrono::steady_clock::now();
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw BackupError("cannot create backup directory " + dir + ": " + ec.message());

    rocksdb::BackupEngine* raw = nullptr;
    auto s = rocksdb::BackupEngine::Open(engine_options(dir), rocksdb::Env::Default(), &raw);
    if (!s.ok()) fail("cannot open backup directory " + dir, s);
    std::unique_ptr<rocksdb::BackupEngine> engine(raw);

    // Flushing first puts the memtables into table files, which later
    // backups share, instead of copying the write-ahead log each time.
    rocksdb::CreateBackupOptions options;
    options.flush_before_backup = true;
    // Called by RocksDB, which must not see an exception: `stop` only asks.
    if (stop)
        options.progress_callback = [&stop, &engine]() noexcept {
            bool asked = false;
            try {
                asked = stop();
            } catch (...) {
            }
            if (asked) engine->StopBackup();
        };
    rocksdb::BackupID id = 0;
    BackupResult result;
    s = engine->CreateNewBackupWithMetadata(options, &impl.db(), metadata_of(store), &id);
    if (s.IsIncomplete() && stop && stop()) {
        result.stopped = true;
        result.seconds = seconds_since(start);
        return result;
    }
    if (!s.ok()) fail("backup of " + store.path() + " into " + dir + " failed", s);

    std::vector<rocksdb::BackupInfo> before;
    engine->GetBackupInfo(&before);
    if (keep > 0 && before.size() > keep) {
        s = engine->PurgeOldBackups(keep);
        if (!s.ok()) fail("backup " + std::to_string(id) + " is made, but purging the old ones in " + dir + " failed", s);
        result.purged = static_cast<std::uint32_t>(before.size() - keep);
    }
    std::vector<rocksdb::BackupInfo> infos;
    engine->GetBackupInfo(&infos, true);
    auto backups = describe(std::move(infos));
    result.kept = static_cast<std::uint32_t>(backups.size());
    for (const auto& b : backups)
        if (b.id == id) result.backup = b;
    result.seconds = seconds_since(start);
    return result;
}

std::vector<BackupInfo> list_backups(const std::string& dir) {
    auto engine = open_read_only(dir);
    std::vector<rocksdb::BackupInfo> infos;
    engine->GetBackupInfo(&infos, true);
    return describe(std::move(infos));
}

std::vector<BackupCheck> verify_backups(const std::string& dir) {
    auto engine = open_read_only(dir);
    std::vector<rocksdb::BackupInfo> infos;
    engine->GetBackupInfo(&infos);
    std::vector<rocksdb::BackupID> corrupt;
    engine->GetCorruptedBackups(&corrupt);
    std::vector<BackupCheck> checks;
    for (const auto& info : infos) {
        BackupCheck c{info.backup_id, true, {}};
        auto s = engine->VerifyBackup(info.backup_id, /*verify_with_checksum=*/true);
        if (!s.ok()) {
            c.ok = false;
            c.problem = s.ToString();
        }
        checks.push_back(std::move(c));
    }
    for (auto id : corrupt) checks.push_back({id, false, "its meta file is unreadable or names missing files"});
    std::sort(checks.begin(), checks.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    if (checks.empty()) throw BackupError("no backups in " + dir);
    return checks;
}

RestoreResult restore_backup(const std::string& dir, std::optional<std::uint32_t> id, const std::string& store_path,
                             bool force) {
    const auto start = std::chrono::steady_clock::now();
    auto engine = open_read_only(dir);
    std::vector<rocksdb::BackupInfo> infos;
    engine->GetBackupInfo(&infos, true);
    const auto backups = describe(std::move(infos));
    if (backups.empty()) throw BackupError("no backups in " + dir);
    RestoreResult result;
    if (id) {
        auto it = std::find_if(backups.begin(), backups.end(), [&](const BackupInfo& b) { return b.id == *id; });
        if (it == backups.end())
            throw BackupError("no backup " + std::to_string(*id) + " in " + dir + "; it holds " + ids_of(backups));
        result.backup = *it;
    } else {
        result.backup = backups.back();
    }

    const fs::path target = fs::absolute(store_path);
    std::error_code ec;
    const bool exists = fs::exists(target, ec);
    if (exists && !fs::is_directory(target, ec)) throw BackupError(store_path + " exists and is not a directory");
    const bool empty = !exists || fs::is_empty(target, ec);
    if (!empty && !force)
        throw BackupError("store " + store_path + " is not empty; restoring would replace it: pass --force to do so");
    if (inside(dir, target)) throw BackupError("backup directory " + dir + " is inside " + store_path);

    // The store must not be open anywhere while it is replaced: take its lock.
    rocksdb::Env* env = rocksdb::Env::Default();
    rocksdb::FileLock* lock = nullptr;
    if (exists && fs::exists(target / "LOCK", ec)) {
        auto s = env->LockFile((target / "LOCK").string(), &lock);
        if (!s.ok())
            throw BackupError("store " + store_path + " is open in another process (" + s.ToString() +
                              "); stop it before restoring");
    }
    struct Unlock {
        rocksdb::Env* env;
        rocksdb::FileLock* lock;
        void release() {
            if (lock) env->UnlockFile(lock).PermitUncheckedError();
            lock = nullptr;
        }
        ~Unlock() { release(); }
    } unlock{env, lock};

    // Restored beside the target and checked there, so that a failure
    // leaves the target as it was.
    fs::create_directories(target.parent_path(), ec);
    const fs::path staged = sibling_dir(target, "restoring");
    try {
        auto s = engine->RestoreDBFromBackup(rocksdb::RestoreOptions(), result.backup.id, staged.string(), staged.string());
        if (!s.ok()) fail("cannot restore backup " + std::to_string(result.backup.id) + " from " + dir, s);
        StoreOptions check;
        check.mode = OpenMode::read_only;
        try {
            Store::open(staged.string(), check);
        } catch (const StoreError& e) {
            throw BackupError("backup " + std::to_string(result.backup.id) + " does not open as a store: " + e.what());
        }
    } catch (...) {
        fs::remove_all(staged, ec);
        throw;
    }

    if (exists) {
        const fs::path old = sibling_dir(target, "replaced");
        fs::remove(old, ec);
        fs::rename(target, old, ec);
        if (ec) {
            fs::remove_all(staged, ec);
            throw BackupError("cannot move " + store_path + " aside: " + ec.message());
        }
        unlock.release();
        fs::rename(staged, target, ec);
        if (ec) throw BackupError("cannot move the restored store into " + store_path + ": " + ec.message() +
                                  " (the old store is in " + old.string() + ", the restored one in " + staged.string() + ")");
        fs::remove_all(old, ec);
    } else {
        fs::rename(staged, target, ec);
        if (ec) throw BackupError("cannot move the restored store into " + store_path + ": " + ec.message());
    }
    result.seconds = seconds_since(start);
    return result;
}

}  // namespace brotr
