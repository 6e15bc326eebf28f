// Coroutines started together and awaited together, e.g. one per relay
// worker of a synchronizer cycle.
#pragma once

#include <cstddef>
#include <exception>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

namespace brotr::runtime {

class TaskGroup {
public:
    // Tasks run on `executor`; the group's own bookkeeping on a strand of it.
    explicit TaskGroup(boost::asio::any_io_executor executor);
    TaskGroup(const TaskGroup&) = delete;
    TaskGroup& operator=(const TaskGroup&) = delete;

    // Starts `task` now. Must not be called once wait() has returned.
    void spawn(boost::asio::awaitable<void> task);
    // The same on another executor, e.g. a strand of its own.
    void spawn(boost::asio::any_io_executor executor, boost::asio::awaitable<void> task);

    // Returns when every task spawned so far has ended; rethrows the first
    // exception a task ended with. The group must outlive its tasks, so
    // await this before destroying it.
    boost::asio::awaitable<void> wait();

private:
    boost::asio::awaitable<void> wait_on_strand();
    void task_ended(std::exception_ptr error);

    boost::asio::any_io_executor executor_;
    boost::asio::strand<boost::asio::any_io_executor> strand_;
    boost::asio::steady_timer wakeup_;
    std::size_t running_ = 0;  // touched on the strand only
    std::exception_ptr first_error_;
};

}  // namespace brotr::runtime
