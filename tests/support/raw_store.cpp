#include "support/raw_store.hpp"

#include <memory>
#include <stdexcept>
#include <vector>

#include <rocksdb/db.h>

namespace brotr::test {

std::string replace_raw(const std::string& path, const std::string& cf, const std::string& key, const std::string& value) {
    auto check = [](const rocksdb::Status& s, const char* what) {
        if (!s.ok()) throw std::runtime_error(std::string(what) + ": " + s.ToString());
    };
    std::vector<std::string> names;
    check(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path, &names), "list column families");
    std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
    for (const auto& n : names) descriptors.emplace_back(n, rocksdb::ColumnFamilyOptions());
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* raw = nullptr;
    check(rocksdb::DB::Open(rocksdb::DBOptions(), path, descriptors, &handles, &raw), "open");
    std::unique_ptr<rocksdb::DB> db(raw);
    std::string old;
    rocksdb::Status status = rocksdb::Status::InvalidArgument("no column family " + cf);
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (names[i] != cf) continue;
        status = db->Get(rocksdb::ReadOptions(), handles[i], key, &old);
        if (status.IsNotFound()) status = rocksdb::Status::OK();
        if (status.ok()) status = db->Put(rocksdb::WriteOptions(), handles[i], key, value);
    }
    for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
    check(status, "read or write");
    return old;
}

}  // namespace brotr::test
