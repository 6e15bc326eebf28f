#include "storage/jsonl_import.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <condition_variable>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "storage/jsonl_lines.hpp"

namespace brotr::storage {

std::uint64_t ImportReport::invalid_total() const {
    std::uint64_t n = oversized;
    for (auto v : invalid) n += v;
    return n;
}

void ImportReport::add(const ImportReport& more) {
    lines += more.lines;
    stored += more.stored;
    duplicates += more.duplicates;
    links_added += more.links_added;
    for (std::size_t i = 0; i < invalid.size(); ++i) invalid[i] += more.invalid[i];
    oversized += more.oversized;
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

// Lines of the input: offsets from `base` into a mapped input file, or
// (base null) into `text`, where lines read from a stream are copied.
struct Chunk {
    std::uint64_t index = 0;
    const char* base = nullptr;
    std::string text;
    std::vector<std::pair<std::uint64_t, std::uint32_t>> lines;
    std::uint64_t oversized = 0;
};

// A chunk after parsing and verification: what is left for the writer.
struct Checked {
    std::vector<Event> events;  // to insert (new, or stored but not yet linked)
    std::uint64_t lines = 0;
    std::uint64_t duplicates = 0;  // stored and linked already: nothing to write
    std::uint64_t oversized = 0;
    std::array<std::uint64_t, kEventErrorCount> invalid{};
    const char* input_end = nullptr;  // a mapped input: what is done with once this is written
};

// A worker's buffers, reused from chunk to chunk.
struct Scratch {
    std::vector<EventIdentity> identities;
    std::vector<std::size_t> scanned;  // the line of each identity
};

class Importer {
    using Clock = std::chrono::steady_clock;

public:
    Importer(Store& store, const ImportOptions& options)
        : store_(store), options_(options),
          threads_(options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency())),
          commit_interval_(std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(options.commit_interval))) {}

    ImportReport run(int fd) {
        JsonlLines input(fd, options_.max_line_bytes);
        input_ = &input;
        std::vector<std::thread> workers;
        for (unsigned i = 0; i < threads_; ++i) workers.emplace_back([this] { guarded([this] { work(); }); });
        std::thread writer([this] { guarded([this] { write(); }); });
        guarded([&] { read(input); });
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
    void read(JsonlLines& input) {
        Chunk chunk = take_spare();
        auto on_line = [&](std::string_view line) {
            if (input.stable()) {
                if (chunk.base == nullptr) chunk.base = line.data();
                chunk.lines.emplace_back(static_cast<std::uint64_t>(line.data() - chunk.base),
                                         static_cast<std::uint32_t>(line.size()));
            } else {
                chunk.lines.emplace_back(chunk.text.size(), static_cast<std::uint32_t>(line.size()));
                chunk.text.append(line);
            }
            if (chunk.lines.size() < options_.batch_lines) return true;
            if (!submit(chunk)) return false;
            chunk = take_spare();
            return true;
        };
        input.for_each(on_line, [&] { ++chunk.oversized; });
        if (!chunk.lines.empty() || chunk.oversized) submit(chunk);
    }

    // False when the import failed elsewhere and reading should stop.
    bool submit(Chunk& chunk) {
        std::unique_lock lock(mutex_);
        // Bounded memory: wait while enough chunks are in flight.
        changed_.wait(lock, [&] { return failed_ || in_flight_ < 4 * threads_ + 2; });
        if (failed_) return false;
        chunk.index = next_index_++;
        ++in_flight_;
        todo_.push_back(std::move(chunk));
        chunk = Chunk{};
        changed_.notify_all();
        return true;
    }

    // A chunk whose buffers were used before: a fresh 4 MB buffer per chunk
    // would be new pages from the kernel each time, faulted in one by one.
    Chunk take_spare() {
        std::lock_guard lock(mutex_);
        if (spare_.empty()) return Chunk{};
        Chunk c = std::move(spare_.back());
        spare_.pop_back();
        return c;
    }

    void give_back(Chunk&& chunk) {
        chunk.text.clear();
        chunk.lines.clear();
        chunk.oversized = 0;
        chunk.base = nullptr;
        std::lock_guard lock(mutex_);
        spare_.push_back(std::move(chunk));
    }

    // ---- workers ----
    void work() {
        Scratch scratch;
        for (;;) {
            Chunk chunk;
            {
                std::unique_lock lock(mutex_);
                changed_.wait(lock, [&] { return failed_ || !todo_.empty() || reading_done_; });
                if (failed_ || (todo_.empty() && reading_done_)) return;
                chunk = std::move(todo_.front());
                todo_.pop_front();
            }
            Checked checked = check(chunk, scratch);
            const std::uint64_t index = chunk.index;
            give_back(std::move(chunk));
            {
                std::lock_guard lock(mutex_);
                done_.emplace(index, std::move(checked));
            }
            changed_.notify_all();
        }
    }

    // Lines whose id and sig are those of a stored event (linked to the
    // relay already, when there is one) are duplicates: found by a scan of
    // the line and one batched lookup, never parsed. The rest are parsed and,
    // unless stored with this very sig, verified (the id hashed from the
    // input text where it is canonical).
    Checked check(const Chunk& chunk, Scratch& scratch) {
        Checked out;
        out.lines = chunk.lines.size();
        out.oversized = chunk.oversized;
        if (chunk.base != nullptr && !chunk.lines.empty())
            out.input_end = chunk.base + chunk.lines.back().first + chunk.lines.back().second;
        const char* base = chunk.base != nullptr ? chunk.base : chunk.text.data();
        auto line = [&](std::size_t i) { return std::string_view(base + chunk.lines[i].first, chunk.lines[i].second); };
        scratch.identities.clear();
        scratch.scanned.clear();
        for (std::size_t i = 0; i < chunk.lines.size(); ++i) {
            if (auto identity = scan_event_identity(line(i))) {
                scratch.identities.push_back(*identity);
                scratch.scanned.push_back(i);
            }
        }
        const std::string_view relay = options_.relay ? std::string_view(options_.relay->str()) : std::string_view();
        const auto found = store_.lookup_events(scratch.identities, relay);
        std::size_t next_found = 0;
        for (std::size_t i = 0; i < chunk.lines.size(); ++i) {
            bool stored = false;
            if (next_found < scratch.scanned.size() && scratch.scanned[next_found] == i) {
                const auto& f = found[next_found++];
                if (f.presence == Store::Presence::same_sig) {
                    if (!options_.relay || f.linked) {
                        ++out.duplicates;
                        continue;
                    }
                    stored = true;  // only its link to the relay is new
                }
            }
            ParsedEvent p = options_.verify && !stored ? parse_and_check_event(line(i)) : parse_event(line(i));
            if (!p.event) {
                ++out.invalid[static_cast<std::size_t>(p.error)];
                continue;
            }
            out.events.push_back(std::move(*p.event));
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
                auto ready = [&] { return failed_ || done_.contains(next) || (reading_done_ && next == next_index_); };
                // A slow input must not hold a pending commit back for long.
                if (pending_.lines > 0) {
                    if (!changed_.wait_until(lock, oldest_pending_ + commit_interval_, ready)) {
                        lock.unlock();
                        commit_pending(DeferredCommit::by_size);
                        continue;
                    }
                } else {
                    changed_.wait(lock, ready);
                }
                if (failed_) return;
                if (!done_.contains(next)) break;  // everything inserted
                checked = std::move(done_.at(next));
                done_.erase(next);
            }
            insert(checked);
            if (store_.deferred_bytes() >= options_.commit_bytes) commit_pending(DeferredCommit::as_files);
            else if (Clock::now() >= oldest_pending_ + commit_interval_) commit_pending(DeferredCommit::by_size);
            ++next;
            {
                std::lock_guard lock(mutex_);
                --in_flight_;
            }
            changed_.notify_all();
        }
        commit_pending(DeferredCommit::by_size);
    }

    void insert(Checked& checked) {
        std::vector<EventWithRelay> items;
        items.reserve(checked.events.size());
        for (auto& e : checked.events) items.push_back({std::move(e), options_.relay, options_.seen_at, options_.verify});
        InsertOptions insert;
        insert.verify = false;  // done by the workers (or not wanted)
        insert.defer = true;
        if (pending_.lines == 0) oldest_pending_ = Clock::now();
        InsertResult r = store_.insert_events(items, insert);
        ImportReport batch;
        batch.lines = checked.lines + checked.oversized;
        batch.oversized = checked.oversized;
        batch.stored = r.stored;
        batch.duplicates = checked.duplicates + r.duplicates;
        batch.links_added = r.links_added;
        for (std::size_t i = 0; i < kEventErrorCount; ++i) batch.invalid[i] = checked.invalid[i] + r.invalid[i];
        pending_.add(batch);
        // The events are copied out of the input: its pages can go.
        if (checked.input_end != nullptr) input_->release_before(checked.input_end);
    }

    // Makes everything inserted so far durable, then reports it.
    void commit_pending(DeferredCommit how) {
        if (pending_.lines == 0) return;
        store_.commit_deferred(how);
        report_.add(pending_);
        pending_ = ImportReport{};
        if (options_.on_batch) options_.on_batch(report_);
    }

    Store& store_;
    const ImportOptions& options_;
    const unsigned threads_;

    std::mutex mutex_;
    std::condition_variable changed_;
    JsonlLines* input_ = nullptr;
    std::deque<Chunk> todo_;
    std::vector<Chunk> spare_;
    std::map<std::uint64_t, Checked> done_;
    std::uint64_t next_index_ = 0;  // chunks submitted
    unsigned in_flight_ = 0;
    bool reading_done_ = false;
    bool failed_ = false;
    std::exception_ptr error_;
    ImportReport report_;   // committed
    ImportReport pending_;  // inserted, deferred, not committed yet
    Clock::time_point oldest_pending_{};
    const Clock::duration commit_interval_;
};

}  // namespace

ImportReport import_jsonl(Store& store, int fd, const ImportOptions& options) {
    if (options.batch_lines == 0) throw std::invalid_argument("batch_lines must be at least 1");
    if (!(options.commit_interval >= 0) || options.commit_interval > 86400)
        throw std::invalid_argument("commit_interval must be between 0 and 86400 seconds");
    if (options.max_line_bytes == 0 || options.max_line_bytes > UINT32_MAX)
        throw std::invalid_argument("max_line_bytes must be between 1 and 2^32-1");
    return Importer(store, options).run(fd);
}

}  // namespace brotr::storage
