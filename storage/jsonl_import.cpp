#include "storage/jsonl_import.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

namespace brotr::storage {

std::uint64_t ImportReport::invalid_total() const {
    std::uint64_t n = oversized;
    for (auto v : invalid) n += v;
    return n;
}

std::string ImportReport::summary() const {
    std::string s = "read=" + std::to_string(lines) + " stored=" + std::to_string(stored) +
                    " duplicates=" + std::to_string(duplicates) + " links=" + std::to_string(links_added) +
                    " invalid=" + std::to_string(invalid_total());
    std::string reasons;
    for (std::size_t i = 0; i < invalid.size(); ++i)
        if (invalid[i]) reasons += " " + std::string(to_string(static_cast<EventError>(i))) + "=" + std::to_string(invalid[i]);
    if (oversized) reasons += " oversized_line=" + std::to_string(oversized);
    if (!reasons.empty()) s += " (" + reasons.substr(1) + ")";
    return s;
}

namespace {

// Lines of the input, as offsets into one buffer.
struct Chunk {
    std::uint64_t index = 0;
    std::string text;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> lines;
    std::uint64_t oversized = 0;
};

// A chunk after parsing and verification: what is left for the writer.
struct Checked {
    std::vector<Event> events;  // to insert (new, or stored but not yet linked)
    std::uint64_t lines = 0;
    std::uint64_t duplicates = 0;  // stored and linked already: nothing to write
    std::uint64_t oversized = 0;
    std::array<std::uint64_t, kEventErrorCount> invalid{};
};

bool is_blank(std::string_view line) {
    return std::all_of(line.begin(), line.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

class Importer {
public:
    Importer(Store& store, const ImportOptions& options)
        : store_(store), options_(options),
          threads_(options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency())) {}

    ImportReport run(int fd) {
        std::vector<std::thread> workers;
        for (unsigned i = 0; i < threads_; ++i) workers.emplace_back([this] { guarded([this] { work(); }); });
        std::thread writer([this] { guarded([this] { write(); }); });
        guarded([&] { read(fd); });
        {
            std::lock_guard lock(mutex_);
            reading_done_ = true;
        }
        changed_.notify_all();
        for (auto& w : workers) w.join();
        writer.join();
        if (error_) std::rethrow_exception(error_);
        return report_;
    }

private:
    template <class F>
    void guarded(F&& f) {
        try {
            f();
        } catch (...) {
            std::lock_guard lock(mutex_);
            if (!error_) error_ = std::current_exception();
            failed_ = true;
            changed_.notify_all();
        }
    }

    // ---- reader (the calling thread) ----
    void read(int fd) {
        std::vector<char> buffer(1 << 20);
        std::string pending;  // a line cut by the end of the buffer
        bool skipping = false;  // inside an oversized line
        Chunk chunk;
        auto finish_line = [&](std::string_view line) {
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            if (is_blank(line)) return;
            chunk.lines.emplace_back(static_cast<std::uint32_t>(chunk.text.size()), static_cast<std::uint32_t>(line.size()));
            chunk.text.append(line);
            if (chunk.lines.size() >= options_.batch_lines) submit(chunk);
        };
        for (;;) {
            ssize_t n = ::read(fd, buffer.data(), buffer.size());
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) throw std::runtime_error(std::string("cannot read the input: ") + std::strerror(errno));
            if (n == 0) break;
            if (stopped()) return;
            std::string_view data(buffer.data(), static_cast<std::size_t>(n));
            while (!data.empty()) {
                auto nl = data.find('\n');
                std::string_view piece = data.substr(0, nl);
                data.remove_prefix(nl == std::string_view::npos ? data.size() : nl + 1);
                if (!skipping && pending.size() + piece.size() > options_.max_line_bytes) {
                    skipping = true;
                    pending.clear();
                    ++chunk.oversized;
                }
                if (nl == std::string_view::npos) {
                    if (!skipping) pending.append(piece);
                    break;
                }
                if (skipping) {
                    skipping = false;
                } else if (pending.empty()) {
                    finish_line(piece);
                } else {
                    pending.append(piece);
                    finish_line(pending);
                    pending.clear();
                }
            }
        }
        if (!skipping && !pending.empty()) finish_line(pending);
        if (!chunk.lines.empty() || chunk.oversized) submit(chunk);
    }

    void submit(Chunk& chunk) {
        std::unique_lock lock(mutex_);
        // Bounded memory: wait while enough chunks are in flight.
        changed_.wait(lock, [&] { return failed_ || in_flight_ < 4 * threads_ + 2; });
        if (failed_) return;
        chunk.index = next_index_++;
        ++in_flight_;
        todo_.push_back(std::move(chunk));
        chunk = Chunk{};
        changed_.notify_all();
    }

    bool stopped() {
        std::lock_guard lock(mutex_);
        return failed_;
    }

    // ---- workers ----
    void work() {
        for (;;) {
            Chunk chunk;
            {
                std::unique_lock lock(mutex_);
                changed_.wait(lock, [&] { return failed_ || !todo_.empty() || reading_done_; });
                if (failed_ || (todo_.empty() && reading_done_)) return;
                chunk = std::move(todo_.front());
                todo_.pop_front();
            }
            Checked checked = check(chunk);
            {
                std::lock_guard lock(mutex_);
                done_.emplace(chunk.index, std::move(checked));
            }
            changed_.notify_all();
        }
    }

    Checked check(const Chunk& chunk) {
        Checked out;
        out.lines = chunk.lines.size();
        out.oversized = chunk.oversized;
        std::vector<Event> parsed;
        parsed.reserve(chunk.lines.size());
        for (auto [offset, size] : chunk.lines) {
            ParsedEvent p = parse_event(std::string_view(chunk.text).substr(offset, size));
            if (!p.event) {
                ++out.invalid[static_cast<std::size_t>(p.error)];
                continue;
            }
            parsed.push_back(std::move(*p.event));
        }
        const std::string_view relay = options_.relay ? std::string_view(options_.relay->str()) : std::string_view();
        auto found = store_.lookup_events(parsed, relay);
        for (std::size_t i = 0; i < parsed.size(); ++i) {
            if (found[i].presence == Store::Presence::same_sig) {
                // Stored with this very signature: no verification, at most a new link.
                if (!options_.relay || found[i].linked) ++out.duplicates;
                else out.events.push_back(std::move(parsed[i]));
                continue;
            }
            if (options_.verify) {
                EventError e = check_event(parsed[i]);
                if (e != EventError::ok) {
                    ++out.invalid[static_cast<std::size_t>(e)];
                    continue;
                }
            }
            out.events.push_back(std::move(parsed[i]));
        }
        return out;
    }

    // ---- writer ----
    void write() {
        std::uint64_t next = 0;
        for (;;) {
            Checked checked;
            {
                std::unique_lock lock(mutex_);
                changed_.wait(lock, [&] {
                    return failed_ || done_.contains(next) || (reading_done_ && next == next_index_);
                });
                if (failed_) return;
                if (!done_.contains(next)) return;  // everything written
                checked = std::move(done_.at(next));
                done_.erase(next);
            }
            commit(checked);
            ++next;
            {
                std::lock_guard lock(mutex_);
                --in_flight_;
            }
            changed_.notify_all();
        }
    }

    void commit(Checked& checked) {
        std::vector<EventWithRelay> items;
        items.reserve(checked.events.size());
        for (auto& e : checked.events) items.push_back({std::move(e), options_.relay, options_.seen_at, options_.verify});
        InsertOptions insert;
        insert.verify = false;  // done by the workers (or not wanted)
        insert.sync = true;     // a reported batch is a durable batch
        InsertResult r = store_.insert_events(items, insert);
        report_.lines += checked.lines + checked.oversized;
        report_.oversized += checked.oversized;
        report_.stored += r.stored;
        report_.duplicates += checked.duplicates + r.duplicates;
        report_.links_added += r.links_added;
        for (std::size_t i = 0; i < kEventErrorCount; ++i) report_.invalid[i] += checked.invalid[i] + r.invalid[i];
        if (options_.on_batch) options_.on_batch(report_);
    }

    Store& store_;
    const ImportOptions& options_;
    const unsigned threads_;

    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<Chunk> todo_;
    std::map<std::uint64_t, Checked> done_;
    std::uint64_t next_index_ = 0;  // chunks submitted
    unsigned in_flight_ = 0;
    bool reading_done_ = false;
    bool failed_ = false;
    std::exception_ptr error_;
    ImportReport report_;
};

}  // namespace

ImportReport import_jsonl(Store& store, int fd, const ImportOptions& options) {
    if (options.batch_lines == 0) throw std::invalid_argument("batch_lines must be at least 1");
    return Importer(store, options).run(fd);
}

}  // namespace brotr::storage
