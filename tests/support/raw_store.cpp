#include "support/raw_store.hpp"

#include <memory>
#include <stdexcept>
#include <vector>

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

namespace brotr::test {

namespace {

void check(const rocksdb::Status& s, const char* what) {
    if (!s.ok()) throw std::runtime_error(std::string(what) + ": " + s.ToString());
}

// Every column family of the closed store at `path`, opened with RocksDB alone.
struct RawStore {
    explicit RawStore(const std::string& path) {
        check(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path, &names), "list column families");
        std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
        for (const auto& n : names) descriptors.emplace_back(n, rocksdb::ColumnFamilyOptions());
        rocksdb::DB* raw = nullptr;
        check(rocksdb::DB::Open(rocksdb::DBOptions(), path, descriptors, &handles, &raw), "open");
        db.reset(raw);
    }
    ~RawStore() {
        for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
    }
    rocksdb::ColumnFamilyHandle* cf(const std::string& name) const {
        for (std::size_t i = 0; i < names.size(); ++i)
            if (names[i] == name) return handles[i];
        throw std::runtime_error("no column family " + name);
    }
    std::vector<std::string> names;
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    std::unique_ptr<rocksdb::DB> db;
};

}  // namespace

void rewrite_as_format_1(const std::string& path) {
    RawStore store(path);
    rocksdb::WriteBatch batch;
    std::unique_ptr<rocksdb::Iterator> it(store.db->NewIterator(rocksdb::ReadOptions(), store.cf("event_ids")));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
        if (it->value().size() != 16) throw std::runtime_error("event_ids value is not of format 2");
        batch.Put(store.cf("event_ids"), it->key(), rocksdb::Slice(it->value().data(), 8));  // the serial alone
    }
    check(it->status(), "scan event_ids");
    batch.Put(store.cf("meta"), "format_version", "1");
    batch.Delete(store.cf("meta"), "format_minor");  // format 1 had none
    check(store.db->Write(rocksdb::WriteOptions(), &batch), "write");
}

std::string replace_raw(const std::string& path, const std::string& cf, const std::string& key, const std::string& value) {
    RawStore store(path);
    std::string old;
    rocksdb::Status status = store.db->Get(rocksdb::ReadOptions(), store.cf(cf), key, &old);
    if (status.IsNotFound()) status = rocksdb::Status::OK();
    check(status, "read");
    check(store.db->Put(rocksdb::WriteOptions(), store.cf(cf), key, value), "write");
    return old;
}

}  // namespace brotr::test
