// Blocking work (signature checks, store writes) off the I/O threads: the
// function runs on a thread pool and the awaiting coroutine resumes on its
// own executor afterwards, so other relay sessions keep reading meanwhile.
#pragma once

#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace brotr::runtime {

namespace detail {

// Posts `f` to the pool; completes `handler` with (exception, result) on the
// handler's own executor.
template <class F, class Result>
struct BlockingInitiation {
    boost::asio::thread_pool* pool;

    template <class Handler>
    void operator()(Handler handler, F f) const {
        boost::asio::post(*pool, [f = std::move(f), handler = std::move(handler)]() mutable {
            std::exception_ptr error;
            if constexpr (std::is_void_v<Result>) {
                try {
                    f();
                } catch (...) {
                    error = std::current_exception();
                }
                auto executor = boost::asio::get_associated_executor(handler);
                boost::asio::dispatch(executor, [handler = std::move(handler), error]() mutable { handler(error); });
            } else {
                std::optional<Result> result;
                try {
                    result.emplace(f());
                } catch (...) {
                    error = std::current_exception();
                }
                auto executor = boost::asio::get_associated_executor(handler);
                boost::asio::dispatch(executor, [handler = std::move(handler), error, result = std::move(result)]() mutable {
                    handler(error, result ? std::move(*result) : Result{});
                });
            }
        });
    }
};

}  // namespace detail

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
