// Running a number of coroutines at once and waiting for all of them: the
// worker pools of the monitor (relays checked in parallel) and of the NIP-66
// publisher (EVENTs in flight per relay).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <functional>

namespace brotr::services {

// Starts make(0) .. make(count - 1) on `executor`, waits until every one has
// ended, then rethrows the first exception one of them ended with.
boost::asio::awaitable<void> run_all(boost::asio::any_io_executor executor, std::size_t count,
                                     std::function<boost::asio::awaitable<void>(std::size_t)> make);

}  // namespace brotr::services
