// Prometheus metrics of the process: counters, gauges and histograms with
// labels, and their text exposition (format 0.0.4), served at /metrics.
// One registry per process, like the log: every service and the API add to
// it without being handed it, and one scrape shows them all. Metric names
// follow Prometheus conventions: the brotr_ prefix, _total for counters,
// base units (_seconds, _bytes).
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace brotr::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
public:
    void inc(double by = 1);
    double value() const { return value_.load(std::memory_order_relaxed); }

private:
    std::atomic<double> value_{0};
};

class Gauge {
public:
    void set(double v) { value_.store(v, std::memory_order_relaxed); }
    double value() const { return value_.load(std::memory_order_relaxed); }

private:
    std::atomic<double> value_{0};
};

class Histogram {
public:
    explicit Histogram(std::vector<double> upper_bounds);
    void observe(double v);
    struct Snapshot {
        std::vector<double> upper_bounds;
        std::vector<std::uint64_t> cumulative;  // per bound, then +Inf last
        double sum = 0;
        std::uint64_t count = 0;
    };
    Snapshot snapshot() const;

private:
    std::vector<double> bounds_;
    mutable std::mutex mutex_;
    std::vector<std::uint64_t> counts_;  // per bucket, +Inf last (not cumulative)
    double sum_ = 0;
    std::uint64_t count_ = 0;
};

// Buckets for durations: 1 ms to 10 min.
std::vector<double> duration_buckets();

class Registry {
public:
    // The series of `name` with `labels`, created on first use. A name keeps
    // the type and help it was first registered with.
    Counter& counter(const std::string& name, const std::string& help, const Labels& labels = {});
    Gauge& gauge(const std::string& name, const std::string& help, const Labels& labels = {});
    Histogram& histogram(const std::string& name, const std::string& help, const Labels& labels = {},
                         const std::vector<double>& upper_bounds = duration_buckets());

    // Every family in name order, each with one HELP and TYPE line.
    std::string exposition() const;

private:
    enum class Type { counter, gauge, histogram };
    struct Family {
        Type type;
        std::string help;
        std::map<Labels, std::unique_ptr<Counter>> counters;
        std::map<Labels, std::unique_ptr<Gauge>> gauges;
        std::map<Labels, std::unique_ptr<Histogram>> histograms;
    };
    Family& family(const std::string& name, Type type, const std::string& help);

    mutable std::mutex mutex_;
    std::map<std::string, Family> families_;
};

Registry& registry();

// `value` for a label: backslash, double quote and newline escaped.
std::string escape_label_value(const std::string& value);

}  // namespace brotr::metrics
