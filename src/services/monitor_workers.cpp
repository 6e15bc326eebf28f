#include "services/monitor_workers.hpp"

#include "runtime/task_group.hpp"

namespace asio = boost::asio;

namespace brotr::services {

// A TaskGroup rather than Asio's ranged parallel_group: with the io_context
// on several threads, the group's launch loop read its vector of operations
// after the last one had completed on another thread and freed it
// (AddressSanitizer: heap-use-after-free in ranged_parallel_group_launch).
asio::awaitable<void> run_all(asio::any_io_executor executor, std::size_t count,
                              std::function<asio::awaitable<void>(std::size_t)> make) {
    if (count == 0) co_return;
    runtime::TaskGroup group(executor);
    for (std::size_t i = 0; i < count; ++i) group.spawn(make(i));
    co_await group.wait();
}

}  // namespace brotr::services
