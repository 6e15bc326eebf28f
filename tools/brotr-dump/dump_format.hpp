// Output helpers of brotr-dump: aligned text tables for people, and the
// formatting of timestamps, optional values and keys.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "brotr/event.hpp"
#include "brotr/store.hpp"
#include "storage/row_json.hpp"

namespace brotr::dump {

class Table {
public:
    // Columns whose name starts with '>' are right-aligned (numbers).
    explicit Table(std::vector<std::string> columns);
    void add(std::vector<std::string> row);
    void print(std::FILE* out) const;
    bool empty() const { return rows_.empty(); }

private:
    std::vector<std::string> columns_;
    std::vector<bool> right_;
    std::vector<std::vector<std::string>> rows_;
};

// "2024-05-01 12:00:00" (UTC).
std::string format_time(std::int64_t unix_seconds);
std::string format_time(const std::optional<std::int64_t>& t);  // "-" when absent
std::string format_count(std::uint64_t n);                        // 1234567 -> "1,234,567"
std::string format_opt(const std::optional<std::string>& s);      // "-" when absent
std::string format_opt(const std::optional<Decimal2>& d);
std::string format_opt(const std::optional<std::int32_t>& v);

// Prints `j` (two-space indented) and a newline.
void print_json(const Json& j);

}  // namespace brotr::dump
