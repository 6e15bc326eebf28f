// A fixed set of threads that run the parts of one parallel loop. Used for
// signature verification, the CPU-bound step of every insert.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace brotr::storage {

class WorkerPool {
public:
    explicit WorkerPool(unsigned threads);  // 0 = one per core
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    unsigned size() const { return static_cast<unsigned>(threads_.size()); }

    // Calls fn(i) for every i in [0, n) across the pool and the calling
    // thread; returns when all calls are done. Several callers may run loops
    // at the same time; each waits only for its own.
    void parallel_for(std::size_t n, const std::function<void(std::size_t)>& fn);

private:
    struct Loop;
    void run();
    static void work_on(Loop& loop);

    std::mutex mutex_;
    std::condition_variable wake_;
    std::vector<Loop*> loops_;  // loops with parts not yet claimed
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace brotr::storage
