#include "runtime/shutdown.hpp"

#include <memory>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace asio = boost::asio;

namespace brotr::runtime {

void Shutdown::request() {
    std::map<std::uint64_t, std::function<void()>> callbacks;
    {
        std::lock_guard lock(mutex_);
        if (requested_.exchange(true, std::memory_order_acq_rel)) return;
        callbacks.swap(callbacks_);
    }
    for (auto& [id, callback] : callbacks) callback();
}

std::uint64_t Shutdown::on_request(std::function<void()> callback) {
    {
        std::lock_guard lock(mutex_);
        if (!requested_.load(std::memory_order_acquire)) {
            auto id = next_id_++;
            callbacks_.emplace(id, std::move(callback));
            return id;
        }
    }
    callback();
    return 0;
}

void Shutdown::forget(std::uint64_t id) {
    std::lock_guard lock(mutex_);
    callbacks_.erase(id);
}

asio::awaitable<bool> Shutdown::sleep(std::chrono::steady_clock::duration duration) {
    if (requested()) co_return false;
    auto executor = co_await asio::this_coro::executor;
    auto timer = std::make_shared<asio::steady_timer>(executor, duration);
    // The timer may already be gone when shutdown fires later; hold a weak reference.
    std::weak_ptr<asio::steady_timer> weak = timer;
    auto id = on_request([weak, executor] {
        asio::post(executor, [weak] {
            if (auto t = weak.lock()) t->cancel();
        });
    });
    boost::system::error_code ec;
    co_await timer->async_wait(asio::redirect_error(asio::use_awaitable, ec));
    forget(id);
    co_return !ec && !requested();
}

}  // namespace brotr::runtime
