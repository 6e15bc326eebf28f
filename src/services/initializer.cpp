#include "services/initializer.hpp"

#include <chrono>
#include <fstream>
#include <set>
#include <stdexcept>

#include "brotr/log.hpp"
#include "util/clock.hpp"
#include "util/text.hpp"

namespace brotr::services {

namespace {

// The line without its comment: `#` at the start, or after white space (a
// `#` inside a URL is a fragment, which normalization drops anyway).
std::string_view strip_comment(std::string_view line) {
    for (std::size_t i = 0; i < line.size(); ++i)
        if (line[i] == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) return line.substr(0, i);
    return line;
}

}  // namespace

SeedList read_seed_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read seed file " + file.string());
    SeedList list;
    std::set<std::string, std::less<>> seen;
    std::string line;
    while (std::getline(in, line)) {
        ++list.lines;
        const std::string_view text = trim(strip_comment(line));
        if (text.empty()) continue;
        std::string why;
        auto url = RelayUrl::parse(text, &why);
        if (!url) {
            ++list.invalid;
            log::debug("initializer", "seed_line_skipped", {{"line", list.lines}, {"reason", why}});
            continue;
        }
        if (!seen.insert(url->str()).second) {
            ++list.duplicates;
            continue;
        }
        list.urls.push_back(std::move(*url));
    }
    if (in.bad()) throw std::runtime_error("error reading seed file " + file.string());
    return list;
}

SeedReport seed_relays(Store& store, const std::filesystem::path& file, std::int64_t now) {
    SeedReport report;
    report.list = read_seed_file(file);
    report.valid = report.list.urls.size();
    report.added = store.insert_relays(report.list.urls, now);
    report.list.urls.clear();
    return report;
}

runtime::CycleReport seed_report_fields(const SeedReport& r) {
    runtime::CycleReport out;
    out.add_number("seed_lines", r.list.lines);
    out.add_number("seed_relays", r.valid);
    out.add_number("added_relays", r.added);
    out.add_number("known_relays", r.valid - r.added);
    out.add_number("invalid_lines", r.list.invalid);
    out.add_number("duplicate_lines", r.list.duplicates);
    return out;
}

InitReport initialize(const Config& config, std::optional<Store>* store_out) {
    InitReport report;
    const auto& sc = config.brotr.store;
    Store store = Store::init(sc.path.string(), sc.variant, &report.created);
    log::info("initializer", report.created ? "store_created" : "store_opened",
              {{"path", sc.path.string()}, {"variant", to_string(sc.variant)}});
    const auto& seed = config.services.initializer.seed;
    if (seed.enabled) report.seed = seed_relays(store, seed.file_path, unix_now());
    if (store_out) store_out->emplace(std::move(store));
    return report;
}

boost::asio::awaitable<runtime::CycleReport> InitializerService::run_cycle(runtime::Shutdown&) {
    if (!config_.seed.enabled) {
        runtime::CycleReport report;
        report.add("seed", "disabled");
        co_return report;
    }
    co_return seed_report_fields(seed_relays(store_, config_.seed.file_path, unix_now()));
}

}  // namespace brotr::services
