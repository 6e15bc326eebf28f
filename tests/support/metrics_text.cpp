#include "support/metrics_text.hpp"

#include <sstream>

namespace brotr::test {

std::optional<double> metric_value(const std::string& exposition, const std::string& series) {
    std::istringstream in(exposition);
    std::string line;
    while (std::getline(in, line)) {
        if (line.size() > series.size() && line.compare(0, series.size(), series) == 0 && line[series.size()] == ' ')
            return std::stod(line.substr(series.size() + 1));
    }
    return std::nullopt;
}

std::set<std::string> metric_families(const std::string& exposition) {
    std::set<std::string> out;
    std::istringstream in(exposition);
    std::string line;
    while (std::getline(in, line)) {
        if (!line.starts_with("# TYPE ")) continue;
        const std::string rest = line.substr(7);
        out.insert(rest.substr(0, rest.find(' ')));
    }
    return out;
}

}  // namespace brotr::test
