// A real Prometheus server scrapes `brotr run` through brotr.yaml's metrics
// address, and its HTTP API answers with brotr's series: the build info, and
// a counter that moves from one scrape to the next (the finder's cycles).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <thread>

#include "support/http_test_client.hpp"
#include "support/relay_peer.hpp"
#include "support/test_env.hpp"

namespace brotr::test {
namespace {

using namespace std::chrono_literals;

std::string url_encode(const std::string& text) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '_' || c == '-' || c == '.') {
            out.push_back(static_cast<char>(c));
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

// The instant vector Prometheus answers for `query` (empty while it has none).
nlohmann::json query(std::uint16_t prometheus_port, const std::string& promql) {
    try {
        Client client(prometheus_port, 5s);
        auto r = client.get("/api/v1/query?query=" + url_encode(promql));
        if (r.result_int() != 200) return nlohmann::json::array();
        return nlohmann::json::parse(r.body())["data"]["result"];
    } catch (const std::exception&) {
        return nlohmann::json::array();
    }
}

// The value of the first series `promql` yields, polled until it satisfies
// `want` or `timeout` passes.
std::optional<double> wait_for(std::uint16_t port, const std::string& promql, const std::function<bool(double)>& want,
                               std::chrono::seconds timeout) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    std::optional<double> last;
    while (std::chrono::steady_clock::now() < end) {
        nlohmann::json result = query(port, promql);
        if (!result.empty()) {
            last = std::stod(result[0]["value"][1].get<std::string>());
            if (want(*last)) return last;
        }
        std::this_thread::sleep_for(250ms);
    }
    return last;
}

TEST(PrometheusScrape, ARealPrometheusScrapesBrotrRunAndSeesCountersMove) {
    if (run_command({"sh", "-c", "command -v prometheus"}).exit_code != 0)
        FAIL() << "prometheus is not installed (tools/setup.sh --test installs it)";
    TempDir dir;
    const std::uint16_t metrics_port = pick_free_port();
    const std::filesystem::path config = dir / "config";
    std::filesystem::create_directories(config / "services");
    write_file(config / "brotr.yaml", "store:\n  path: store\nmetrics:\n  enabled: true\n  port: " +
                                          std::to_string(metrics_port) + "\n");
    // One service that cycles every second and needs no network: the finder
    // scanning the (empty) archive.
    write_file(config / "services/finder.yaml", "interval: 1\napi:\n  sources: []\nevents:\n  enabled: true\n");
    write_file(config / "services/monitor.yaml", "enabled: false\n");
    write_file(config / "services/synchronizer.yaml", "enabled: false\n");
    ChildProcess brotr({brotr_bin().string(), "run", "--config", config.string()});
    ASSERT_TRUE(wait_for_port(metrics_port, 30s)) << brotr.stderr_text();

    const std::uint16_t prometheus_port = pick_free_port();
    write_file(dir / "prometheus.yml", "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                                       "scrape_configs:\n  - job_name: brotr\n    static_configs:\n"
                                       "      - targets: ['127.0.0.1:" +
                                           std::to_string(metrics_port) + "']\n");
    ChildProcess prometheus({"prometheus", "--config.file=" + (dir / "prometheus.yml").string(),
                             "--storage.tsdb.path=" + (dir / "tsdb").string(),
                             "--web.listen-address=127.0.0.1:" + std::to_string(prometheus_port)});
    ASSERT_TRUE(wait_for_port(prometheus_port, 60s)) << prometheus.stderr_text();

    auto is_one = [](double v) { return v == 1; };
    EXPECT_EQ(wait_for(prometheus_port, "up{job=\"brotr\"}", is_one, 60s), 1) << prometheus.stderr_text();
    EXPECT_EQ(wait_for(prometheus_port, "brotr_build_info", is_one, 30s), 1);
    const std::string cycles = "brotr_service_cycles_total{service=\"finder\",result=\"ok\"}";
    const auto first = wait_for(prometheus_port, cycles, [](double v) { return v >= 1; }, 30s);
    ASSERT_TRUE(first) << brotr.stderr_text();
    const auto later = wait_for(prometheus_port, cycles, [&](double v) { return v >= *first + 2; }, 30s);
    ASSERT_TRUE(later);
    EXPECT_GE(*later, *first + 2) << "the finder's cycle counter did not move between scrapes";
    // The store's gauges come with every scrape.
    EXPECT_EQ(wait_for(prometheus_port, "brotr_store_events", [](double v) { return v == 0; }, 10s), 0);
    prometheus.stop();
    brotr.stop();
}

}  // namespace
}  // namespace brotr::test
