#include "services/monitor_workers.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <vector>

namespace asio = boost::asio;

namespace brotr::services {

asio::awaitable<void> run_all(asio::any_io_executor executor, std::size_t count,
                              std::function<asio::awaitable<void>(std::size_t)> make) {
    if (count == 0) co_return;
    using Op = decltype(asio::co_spawn(executor, make(0), asio::deferred));
    std::vector<Op> ops;
    ops.reserve(count);
    for (std::size_t i = 0; i < count; ++i) ops.push_back(asio::co_spawn(executor, make(i), asio::deferred));
    auto [order, errors] = co_await asio::experimental::make_parallel_group(std::move(ops))
                               .async_wait(asio::experimental::wait_for_all(), asio::use_awaitable);
    (void)order;
    for (const std::exception_ptr& e : errors) {
        if (e) std::rethrow_exception(e);
    }
}

}  // namespace brotr::services
