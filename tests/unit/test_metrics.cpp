// The metrics registry and its Prometheus text exposition.
#include <gtest/gtest.h>

#include "util/metrics.hpp"

namespace brotr::metrics {
namespace {

TEST(Metrics, ExpositionHasOneHelpAndTypePerFamilyAndEverySeries) {
    Registry r;
    r.counter("brotr_test_things_total", "Things counted.", {{"kind", "a"}}).inc();
    r.counter("brotr_test_things_total", "Things counted.", {{"kind", "b"}}).inc(2.5);
    r.gauge("brotr_test_level", "A level.").set(-3);
    const std::string text = r.exposition();
    EXPECT_NE(text.find("# HELP brotr_test_things_total Things counted.\n# TYPE brotr_test_things_total counter\n"
                        "brotr_test_things_total{kind=\"a\"} 1\nbrotr_test_things_total{kind=\"b\"} 2.5\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("# TYPE brotr_test_level gauge\nbrotr_test_level -3\n"), std::string::npos) << text;
    // Families in name order: level before things.
    EXPECT_LT(text.find("brotr_test_level"), text.find("brotr_test_things_total"));
}

TEST(Metrics, HistogramBucketsAreCumulativeWithSumAndCount) {
    Registry r;
    Histogram& h = r.histogram("brotr_test_seconds", "Durations.", {{"route", "/x"}}, {0.1, 1});
    h.observe(0.05);
    h.observe(0.1);  // on a bound: counted in it (le is "less or equal")
    h.observe(0.5);
    h.observe(7);
    const std::string text = r.exposition();
    EXPECT_NE(text.find("brotr_test_seconds_bucket{route=\"/x\",le=\"0.1\"} 2\n"
                        "brotr_test_seconds_bucket{route=\"/x\",le=\"1\"} 3\n"
                        "brotr_test_seconds_bucket{route=\"/x\",le=\"+Inf\"} 4\n"
                        "brotr_test_seconds_sum{route=\"/x\"} 7.65\n"
                        "brotr_test_seconds_count{route=\"/x\"} 4\n"),
              std::string::npos)
        << text;
}

TEST(Metrics, LabelValuesAreEscapedAndTypesCannotChange) {
    Registry r;
    r.counter("brotr_test_total", "x", {{"url", "a\"b\\c\nd"}}).inc();
    EXPECT_NE(r.exposition().find("{url=\"a\\\"b\\\\c\\nd\"}"), std::string::npos) << r.exposition();
    EXPECT_THROW(r.gauge("brotr_test_total", "x"), std::logic_error);
}

TEST(Metrics, TheSameSeriesIsReturnedEachTime) {
    Registry r;
    Counter& a = r.counter("brotr_test_total", "x", {{"k", "v"}});
    Counter& b = r.counter("brotr_test_total", "x", {{"k", "v"}});
    EXPECT_EQ(&a, &b);
    a.inc();
    b.inc();
    EXPECT_EQ(a.value(), 2);
}

}  // namespace
}  // namespace brotr::metrics
