// Relay URL parsing rate (what the finder and the initializer pay per
// candidate URL), against a baseline measured in the same run: hashing the
// same strings, the least any deduplication of raw lines would cost.
// Corpus: ../shared/data/seed_relays.txt when present (BROTR_SHARED_DATA),
// otherwise generated URLs of the same shapes.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "brotr/relay_url.hpp"

namespace {

double thread_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

std::vector<std::string> load_corpus(std::string& source) {
    std::vector<std::string> lines;
    if (const char* dir = std::getenv("BROTR_SHARED_DATA")) {
        std::ifstream in(std::string(dir) + "/seed_relays.txt");
        for (std::string line; std::getline(in, line);) lines.push_back(line);
    }
    if (!lines.empty()) {
        source = "seed_relays.txt";
        return lines;
    }
    source = "generated";
    for (int i = 0; i < 8000; ++i) {
        std::string host = "relay" + std::to_string(i) + ".example" + std::to_string(i % 7) + ".com";
        switch (i % 4) {
            case 0: lines.push_back("wss://" + host); break;
            case 1: lines.push_back("WSS://" + host + ":443/"); break;
            case 2: lines.push_back("wss://" + host + ":4848/nostrrelay/abc" + std::to_string(i)); break;
            default: lines.push_back(host); break;
        }
    }
    return lines;
}

}  // namespace

int main() {
    std::string source;
    const std::vector<std::string> corpus = load_corpus(source);
    constexpr int kRounds = 7;
    constexpr int kPasses = 20;  // passes over the corpus per round

    double best_parse = 1e9, best_hash = 1e9;
    std::size_t valid = 0, sink = 0;
    for (int round = 0; round < kRounds; ++round) {
        // Alternate the two measurements so background load hits both alike.
        double t0 = thread_seconds();
        for (int pass = 0; pass < kPasses; ++pass) {
            for (const auto& line : corpus) sink += std::hash<std::string>{}(line);
        }
        best_hash = std::min(best_hash, thread_seconds() - t0);

        t0 = thread_seconds();
        std::size_t ok = 0;
        for (int pass = 0; pass < kPasses; ++pass) {
            for (const auto& line : corpus) {
                auto url = brotr::RelayUrl::parse(line);
                if (url) {
                    ++ok;
                    sink += url->str().size();
                }
            }
        }
        best_parse = std::min(best_parse, thread_seconds() - t0);
        valid = ok / kPasses;
    }

    const double n = static_cast<double>(corpus.size()) * kPasses;
    std::printf("corpus: %s, %zu URLs (%zu valid)\n", source.c_str(), corpus.size(), valid);
    std::printf("baseline std::hash:  %8.1f ns/URL  %10.0f URLs/s\n", best_hash / n * 1e9, n / best_hash);
    std::printf("RelayUrl::parse:     %8.1f ns/URL  %10.0f URLs/s\n", best_parse / n * 1e9, n / best_parse);
    std::printf("ratio parse/hash:    %8.1fx\n", best_parse / best_hash);
    return sink == 0 ? 1 : 0;  // keeps the work observable
}
