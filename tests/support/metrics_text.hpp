// Reading Prometheus text exposition in tests: one series' value, and the
// families a scrape holds.
#pragma once

#include <optional>
#include <set>
#include <string>

namespace brotr::test {

// The value of the series written exactly `series` ("name" or
// `name{a="x",b="y"}`, labels in the order the code that records it gives
// them), or nullopt when the text has no such line.
std::optional<double> metric_value(const std::string& exposition, const std::string& series);

// The family names of the text's "# TYPE" lines.
std::set<std::string> metric_families(const std::string& exposition);

}  // namespace brotr::test
