#include "storage/worker_pool.hpp"

#include <algorithm>
#include <atomic>
#include <exception>

namespace brotr::storage {

// One parallel_for call. Indices are claimed in small chunks through an
// atomic cursor, so threads that arrive late still share the work.
struct WorkerPool::Loop {
    std::size_t n = 0;
    std::size_t chunk = 1;
    const std::function<void(std::size_t)>* fn = nullptr;
    std::atomic<std::size_t> next{0};
    std::atomic<std::size_t> done{0};
    std::atomic<unsigned> active{0};  // pool threads holding a pointer to this loop
    std::mutex mutex;
    std::condition_variable finished;
    std::exception_ptr error;
};

WorkerPool::WorkerPool(unsigned threads) {
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    // The caller works too, so one thread fewer covers every core.
    for (unsigned i = 1; i < threads; ++i) threads_.emplace_back([this] { run(); });
}

WorkerPool::~WorkerPool() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (auto& t : threads_) t.join();
}

void WorkerPool::work_on(Loop& loop) {
    for (;;) {
        std::size_t begin = loop.next.fetch_add(loop.chunk);
        if (begin >= loop.n) return;
        std::size_t end = std::min(loop.n, begin + loop.chunk);
        try {
            for (std::size_t i = begin; i < end; ++i) (*loop.fn)(i);
        } catch (...) {
            std::lock_guard lock(loop.mutex);
            if (!loop.error) loop.error = std::current_exception();
        }
        if (loop.done.fetch_add(end - begin) + (end - begin) == loop.n) {
            std::lock_guard lock(loop.mutex);
            loop.finished.notify_all();
        }
    }
}

void WorkerPool::run() {
    for (;;) {
        Loop* loop = nullptr;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !loops_.empty(); });
            if (stopping_) return;
            loop = loops_.front();
            // Fully claimed loops leave the queue; their owner waits for completion.
            if (loop->next.load() >= loop->n) {
                loops_.erase(loops_.begin());
                continue;
            }
            loop->active.fetch_add(1);
        }
        work_on(*loop);
        {
            std::lock_guard lock(mutex_);
            auto it = std::find(loops_.begin(), loops_.end(), loop);
            if (it != loops_.end() && loop->next.load() >= loop->n) loops_.erase(it);
        }
        // Last touch of the loop: its owner may destroy it once this unlocks.
        std::lock_guard lock(loop->mutex);
        loop->active.fetch_sub(1);
        loop->finished.notify_all();
    }
}

void WorkerPool::parallel_for(std::size_t n, const std::function<void(std::size_t)>& fn) {
    if (n == 0) return;
    Loop loop;
    loop.n = n;
    loop.fn = &fn;
    loop.chunk = std::max<std::size_t>(1, n / (8 * (threads_.size() + 1)));
    if (!threads_.empty() && n > 1) {
        {
            std::lock_guard lock(mutex_);
            loops_.push_back(&loop);
        }
        wake_.notify_all();
    }
    work_on(loop);
    {
        // Once out of the queue no new thread can pick the loop up; then wait
        // for the parts in progress and for every thread to let go of it.
        std::lock_guard lock(mutex_);
        auto it = std::find(loops_.begin(), loops_.end(), &loop);
        if (it != loops_.end()) loops_.erase(it);
    }
    {
        std::unique_lock lock(loop.mutex);
        loop.finished.wait(lock, [&] { return loop.done.load() == loop.n && loop.active.load() == 0; });
    }
    if (loop.error) std::rethrow_exception(loop.error);
}

}  // namespace brotr::storage
