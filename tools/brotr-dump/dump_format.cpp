#include "tools/brotr-dump/dump_format.hpp"

#include <ctime>

namespace brotr::dump {

Table::Table(std::vector<std::string> columns) {
    for (auto& c : columns) {
        const bool right = !c.empty() && c[0] == '>';
        right_.push_back(right);
        columns_.push_back(right ? c.substr(1) : c);
    }
}

void Table::add(std::vector<std::string> row) {
    row.resize(columns_.size());
    rows_.push_back(std::move(row));
}

void Table::print(std::FILE* out) const {
    std::vector<std::size_t> width(columns_.size());
    for (std::size_t i = 0; i < columns_.size(); ++i) {
        width[i] = columns_[i].size();
        for (const auto& r : rows_) width[i] = std::max(width[i], r[i].size());
    }
    auto line = [&](const std::vector<std::string>& cells) {
        std::string s;
        for (std::size_t i = 0; i < cells.size(); ++i) {
            const std::string pad(width[i] - cells[i].size(), ' ');
            if (i) s += "  ";
            s += right_[i] ? pad + cells[i] : (i + 1 == cells.size() ? cells[i] : cells[i] + pad);
        }
        std::fprintf(out, "%s\n", s.c_str());
    };
    line(columns_);
    std::vector<std::string> rule;
    for (auto w : width) rule.emplace_back(w, '-');
    line(rule);
    for (const auto& r : rows_) line(r);
}

std::string format_time(std::int64_t t) {
    std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    if (gmtime_r(&tt, &tm) == nullptr) return std::to_string(t);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
    return buf;
}

std::string format_time(const std::optional<std::int64_t>& t) { return t ? format_time(*t) : "-"; }

std::string format_count(std::uint64_t n) {
    std::string digits = std::to_string(n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i && (digits.size() - i) % 3 == 0) out.push_back(',');
        out.push_back(digits[i]);
    }
    return out;
}

std::string format_opt(const std::optional<std::string>& s) { return s ? *s : "-"; }
std::string format_opt(const std::optional<Decimal2>& d) { return d ? d->str() : "-"; }
std::string format_opt(const std::optional<std::int32_t>& v) { return v ? std::to_string(*v) : "-"; }

void print_json(const Json& j) { std::printf("%s\n", j.dump(2).c_str()); }

}  // namespace brotr::dump
