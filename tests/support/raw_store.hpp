// Writing into a closed store with RocksDB itself, past brotr's checks: how
// tests make the states brotr must refuse or survive (a future format
// version, a corrupt entry).
#pragma once

#include <string>

namespace brotr::test {

// Puts `value` under `key` in column family `cf` of the closed store at
// `path`, and returns what was there (empty when nothing was). Throws when
// the store or the column family cannot be opened or written.
std::string replace_raw(const std::string& path, const std::string& cf, const std::string& key, const std::string& value);

// Turns the closed format-2 store at `path` into the format-1 store the
// same writes made (docs/store-format.md, "Format versions"): event_ids
// values lose their sig digest, meta says format 1. How tests get a golden
// format-1 store from fixed input without keeping an old binary.
void rewrite_as_format_1(const std::string& path);

}  // namespace brotr::test
