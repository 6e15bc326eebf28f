#include "runtime/task_group.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace asio = boost::asio;

namespace brotr::runtime {

TaskGroup::TaskGroup(asio::any_io_executor executor)
    : executor_(executor), strand_(asio::make_strand(executor)), wakeup_(strand_) {}

void TaskGroup::spawn(asio::awaitable<void> task) { spawn(executor_, std::move(task)); }

void TaskGroup::spawn(asio::any_io_executor executor, asio::awaitable<void> task) {
    // Counted before the task can possibly end, on the strand like every change.
    asio::dispatch(strand_, [this] { ++running_; });
    asio::co_spawn(executor, std::move(task), [this](std::exception_ptr error) { task_ended(error); });
}

void TaskGroup::task_ended(std::exception_ptr error) {
    asio::post(strand_, [this, error] {
        if (error && !first_error_) first_error_ = error;
        if (--running_ == 0) wakeup_.cancel();
    });
}

asio::awaitable<void> TaskGroup::wait_on_strand() {
    // Runs on the strand: checking the count and starting the wait happen
    // without a task ending in between, so no wake-up is missed.
    while (running_ > 0) {
        wakeup_.expires_at(asio::steady_timer::time_point::max());
        boost::system::error_code ec;
        co_await wakeup_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
}

asio::awaitable<void> TaskGroup::wait() {
    co_await asio::co_spawn(strand_, wait_on_strand(), asio::use_awaitable);
    if (first_error_) std::rethrow_exception(first_error_);
}

}  // namespace brotr::runtime
