#include "services/time_window.hpp"

#include <algorithm>

namespace brotr::services {

std::string_view to_string(WindowFetcher::Status s) {
    switch (s) {
        case WindowFetcher::Status::running: return "running";
        case WindowFetcher::Status::done: return "done";
        case WindowFetcher::Status::contradicted: return "contradicted";
        case WindowFetcher::Status::request_limit: return "request_limit";
    }
    return "unknown";
}

WindowFetcher::WindowFetcher(TimeWindow window, WindowFetchOptions options) : options_(options) {
    if (options_.limit == 0) options_.limit = 1;
    if (window.since <= window.until) stack_.push_back({window, 0, 0});
    finish_if_empty();
}

std::optional<TimeWindow> WindowFetcher::next() const {
    if (status_ != Status::running) return std::nullopt;
    return stack_.back().window;
}

bool WindowFetcher::possibly_truncated(std::size_t n) const {
    return n >= options_.limit || n >= options_.min_plausible_cap;
}

bool WindowFetcher::keeps_claim(const Pending& p, const std::vector<Event>& answer) {
    if (p.claimed_count == 0) return true;
    const auto at_second = std::count_if(answer.begin(), answer.end(),
                                         [&](const Event& e) { return e.created_at == p.claimed_second; });
    return static_cast<std::size_t>(at_second) >= p.claimed_count;
}

void WindowFetcher::finish_if_empty() {
    if (status_ == Status::running && stack_.empty()) status_ = Status::done;
}

void WindowFetcher::accept(std::vector<Event>& answer) {
    if (status_ != Status::running) {
        answer.clear();
        return;
    }
    const Pending p = stack_.back();
    stack_.pop_back();
    ++stats_.requests;
    const TimeWindow w = p.window;
    // The relay session already drops events outside the window; this keeps
    // the algorithm's invariants (disjoint windows) whoever the caller is.
    std::erase_if(answer, [&](const Event& e) { return e.created_at < w.since || e.created_at > w.until; });
    const std::size_t n = answer.size();

    auto contradicted = [&] {
        status_ = Status::contradicted;
        stack_.clear();
        answer.clear();
    };

    const bool single_second = w.since == w.until;
    if (n == 0 || single_second || !possibly_truncated(n)) {
        // The whole window (or all a single second will give).
        if (!keeps_claim(p, answer)) return contradicted();
        if (single_second && n >= options_.limit) ++stats_.capped_seconds;
        stats_.events += n;
    } else {
        ++stats_.truncated_answers;
        const bool newest_first = std::is_sorted(answer.begin(), answer.end(), [](const Event& a, const Event& b) {
            return a.created_at > b.created_at;
        });
        if (newest_first) {
            const std::int64_t oldest = answer.back().created_at;
            const std::int64_t newest = answer.front().created_at;
            // Everything above `oldest` is complete, the claimed second included.
            if (p.claimed_count > 0 && p.claimed_second > oldest && !keeps_claim(p, answer)) return contradicted();
            const auto at_oldest = static_cast<std::size_t>(
                std::count_if(answer.begin(), answer.end(), [&](const Event& e) { return e.created_at == oldest; }));
            std::size_t claim = at_oldest;
            if (p.claimed_count > 0 && p.claimed_second == oldest) claim = std::max(claim, p.claimed_count);
            // The oldest second may be incomplete: it is asked again.
            answer.resize(n - at_oldest);
            if (newest == oldest) {
                ++stats_.second_splits;
                if (oldest > w.since) stack_.push_back({{w.since, oldest - 1}, 0, 0});
                stack_.push_back({{oldest, oldest}, oldest, claim});
            } else {
                stack_.push_back({{w.since, oldest}, oldest, claim});
            }
            stats_.events += answer.size();
        } else {
            // No order to rely on: halve the window, newest half on top.
            ++stats_.midpoint_splits;
            const std::int64_t mid = w.since + (w.until - w.since) / 2;
            const bool claim_in_lower = p.claimed_count > 0 && p.claimed_second <= mid;
            const bool claim_in_upper = p.claimed_count > 0 && p.claimed_second > mid;
            stack_.push_back({{w.since, mid}, claim_in_lower ? p.claimed_second : 0, claim_in_lower ? p.claimed_count : 0});
            stack_.push_back({{mid + 1, w.until}, claim_in_upper ? p.claimed_second : 0, claim_in_upper ? p.claimed_count : 0});
            answer.clear();
        }
    }
    if (!stack_.empty() && stats_.requests >= options_.max_requests) {
        status_ = Status::request_limit;
        stack_.clear();
        return;
    }
    finish_if_empty();
}

}  // namespace brotr::services
