// Blocking work (signature checks, store writes) off the I/O threads: the
// function runs on a thread pool and the awaiting coroutine resumes on its
// own executor afterwards, so other relay sessions keep reading meanwhile.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <exception>
#include <optional>
#include <thread>
#include <type_traits>
#include <utility>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace brotr::runtime {

namespace detail {

// Pool jobs started by run_blocking() whose thread still holds a copy of the
// awaiting coroutine's executor. See wait_for_blocking_jobs().
inline std::atomic<std::size_t> blocking_jobs{0};

// Posts `f` to the pool; completes `handler` with (exception, result) on the
// handler's own executor.
//
// A work guard on that executor travels with the job and is released on the
// I/O side after the handler ran, so io_context::run() does not return while
// a job is out. Everything holding an executor lives in one scope on the pool
// thread, left before the job counts itself done.
template <class F, class Result>
struct BlockingInitiation {
    boost::asio::thread_pool* pool;

    template <class Handler>
    void operator()(Handler handler, F f) const {
        auto work = boost::asio::make_work_guard(boost::asio::get_associated_executor(handler));
        blocking_jobs.fetch_add(1);
        boost::asio::post(*pool, [f = std::move(f), handler = std::move(handler), work = std::move(work)]() mutable {
            {
                auto h = std::move(handler);
                auto fn = std::move(f);
                auto guard = std::move(work);
                std::exception_ptr error;
                auto executor = boost::asio::get_associated_executor(h);
                if constexpr (std::is_void_v<Result>) {
                    try {
                        fn();
                    } catch (...) {
                        error = std::current_exception();
                    }
                    boost::asio::dispatch(executor, [h = std::move(h), guard = std::move(guard), error]() mutable {
                        h(error);
                        guard.reset();
                    });
                } else {
                    std::optional<Result> result;
                    try {
                        result.emplace(fn());
                    } catch (...) {
                        error = std::current_exception();
                    }
                    boost::asio::dispatch(executor, [h = std::move(h), guard = std::move(guard), error,
                                                     result = std::move(result)]() mutable {
                        h(error, result ? std::move(*result) : Result{});
                        guard.reset();
                    });
                }
            }
            blocking_jobs.fetch_sub(1);
        });
    }
};

}  // namespace detail

// Waits (up to `limit`) until no pool thread of a run_blocking() job holds
// an executor any more. Call it after io_context::run() has returned and
// before the io_context is destroyed: a pool thread that dropped its last
// copy of a strand after that would touch freed memory. False on timeout
// (work abandoned while still running).
inline bool wait_for_blocking_jobs(std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (detail::blocking_jobs.load() != 0) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::microseconds(100));
    }
    return true;
}

// Exceptions thrown by `f` propagate to the awaiting coroutine. A non-void
// result must be default-constructible.
template <class F>
boost::asio::awaitable<std::invoke_result_t<F&>> run_blocking(boost::asio::thread_pool& pool, F f) {
    using Result = std::invoke_result_t<F&>;
    if constexpr (std::is_void_v<Result>) {
        co_await boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&, void(std::exception_ptr)>(
            detail::BlockingInitiation<F, Result>{&pool}, boost::asio::use_awaitable, std::move(f));
    } else {
        co_return co_await boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&,
                                                       void(std::exception_ptr, Result)>(
            detail::BlockingInitiation<F, Result>{&pool}, boost::asio::use_awaitable, std::move(f));
    }
}

}  // namespace brotr::runtime
