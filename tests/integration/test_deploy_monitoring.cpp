// deploy/: the Prometheus alert rules, their unit tests and the example
// configuration pass promtool, and every query of the Grafana dashboard is
// valid PromQL over metrics docs/api.md documents.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <regex>
#include <set>

#include "support/test_env.hpp"

namespace brotr::test {
namespace {

std::filesystem::path source() { return *env("BROTR_SOURCE_DIR"); }

CommandOutput promtool(const std::vector<std::string>& args) {
    std::vector<std::string> argv{"promtool"};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_command(argv);
}

// The brotr_ metric families an expression names (histogram series named by
// their family).
std::set<std::string> families_in(const std::string& expr) {
    static const std::regex name("brotr_[a-z0-9_]+");
    std::set<std::string> out;
    for (auto it = std::sregex_iterator(expr.begin(), expr.end(), name); it != std::sregex_iterator(); ++it) {
        std::string n = it->str();
        for (const char* suffix : {"_bucket", "_count", "_sum"})
            if (n.ends_with(suffix)) n.resize(n.size() - std::string_view(suffix).size());
        out.insert(n);
    }
    return out;
}

void expect_documented(const std::string& expr) {
    static const std::string docs = read_file(source() / "docs" / "api.md");
    for (const std::string& family : families_in(expr))
        EXPECT_NE(docs.find("`" + family + "`"), std::string::npos) << family << " (in " << expr << ") is not in docs/api.md";
}

TEST(DeployMonitoring, AlertRulesPassPromtoolAndTheirUnitTests) {
    const auto dir = source() / "deploy" / "prometheus";
    CommandOutput check = promtool({"check", "rules", (dir / "brotr-alerts.yml").string()});
    EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
    CommandOutput test = promtool({"test", "rules", (dir / "brotr-alerts.test.yml").string()});
    EXPECT_EQ(test.exit_code, 0) << test.out << test.err;
    CommandOutput config = promtool({"check", "config", (dir / "prometheus.yml").string()});
    EXPECT_EQ(config.exit_code, 0) << config.out << config.err;
}

TEST(DeployMonitoring, AlertRulesUseOnlyDocumentedMetrics) {
    const std::string rules = read_file(source() / "deploy" / "prometheus" / "brotr-alerts.yml");
    EXPECT_FALSE(families_in(rules).empty());
    expect_documented(rules);
}

TEST(DeployMonitoring, EveryDashboardQueryIsValidPromQLOverDocumentedMetrics) {
    const auto dashboard = nlohmann::json::parse(read_file(source() / "deploy" / "grafana" / "brotr-dashboard.json"));
    std::vector<std::string> exprs;
    for (const auto& panel : dashboard.at("panels"))
        if (panel.contains("targets"))
            for (const auto& target : panel["targets"]) exprs.push_back(target.at("expr").get<std::string>());
    ASSERT_GE(exprs.size(), 20u);
    std::set<std::string> used;
    for (const std::string& e : exprs) {
        expect_documented(e);
        for (const auto& f : families_in(e)) used.insert(f);
    }
    // The figures the dashboard exists for.
    for (const char* f : {"brotr_sync_events_stored_total", "brotr_monitor_rtt_seconds", "brotr_export_lag_entries",
                          "brotr_store_sst_bytes", "brotr_api_requests_total", "brotr_service_last_cycle_timestamp_seconds"})
        EXPECT_TRUE(used.count(f)) << f << " is on no panel";

    // promtool parses PromQL in rule files: each query becomes a recording
    // rule, with Grafana's variables replaced by what they stand for.
    std::string rules = "groups:\n  - name: dashboard\n    rules:\n";
    for (std::size_t i = 0; i < exprs.size(); ++i) {
        std::string e = std::regex_replace(exprs[i], std::regex("\\$__rate_interval"), "5m");
        e = std::regex_replace(e, std::regex("\\$instance"), ".*");
        rules += "      - record: dashboard_query_" + std::to_string(i) + "\n        expr: " +
                 nlohmann::json(e).dump() + "\n";
    }
    TempDir dir;
    write_file(dir / "dashboard-rules.yml", rules);
    CommandOutput check = promtool({"check", "rules", (dir / "dashboard-rules.yml").string()});
    EXPECT_EQ(check.exit_code, 0) << check.out << check.err << rules;
}

}  // namespace
}  // namespace brotr::test
