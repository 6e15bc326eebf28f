#include <atomic>
#include <chrono>
#include <csignal>
#include <functional>
#include <stdexcept>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <gtest/gtest.h>

#include "runtime/blocking.hpp"
#include "runtime/service_runner.hpp"
#include "runtime/task_group.hpp"

namespace asio = boost::asio;
using namespace std::chrono_literals;
using brotr::runtime::CycleReport;
using brotr::runtime::RunnerOptions;
using brotr::runtime::Service;
using brotr::runtime::ServiceRunner;
using brotr::runtime::Shutdown;

namespace {

// A service whose cycles count themselves; it can fail some cycles or stall.
class CountingService : public Service {
public:
    CountingService(std::string name, std::chrono::seconds interval) : name_(std::move(name)), interval_(interval) {}
    std::string_view name() const override { return name_; }
    std::chrono::seconds interval() const override { return interval_; }

    bool one_shot() const override { return one_shot_service; }

    asio::awaitable<CycleReport> run_cycle(Shutdown& shutdown) override {
        if (before_cycle) before_cycle();
        if (slow) {
            asio::steady_timer t(co_await asio::this_coro::executor, 200ms);
            co_await t.async_wait(asio::use_awaitable);
        }
        int n = ++cycles;
        if (stall) {
            // Ignores shutdown on purpose: only the grace period can end it.
            asio::steady_timer t(co_await asio::this_coro::executor, 1h);
            co_await t.async_wait(asio::use_awaitable);
        }
        if (fail_first && n == 1) throw std::runtime_error("first cycle fails");
        if (stop_after > 0 && n >= stop_after) shutdown.request();
        CycleReport report;
        report.add_number("cycle", n);
        co_return report;
    }
    void persist_state() override { persisted = true; }

    std::atomic<int> cycles{0};
    std::atomic<bool> persisted{false};
    bool fail_first = false;
    bool stall = false;
    bool slow = false;              // each cycle takes 200 ms
    bool one_shot_service = false;
    std::function<void()> before_cycle;
    int stop_after = 0;

private:
    std::string name_;
    std::chrono::seconds interval_;
};

RunnerOptions test_options(bool once) {
    RunnerOptions o;
    o.threads = 2;
    o.once = once;
    o.grace_period = 1s;
    o.handle_signals = false;
    return o;
}

}  // namespace

TEST(ServiceRunner, OnceRunsEveryServiceExactlyOnceAndPersists) {
    ServiceRunner runner(test_options(true));
    auto a = std::make_unique<CountingService>("a", 3600s);
    auto b = std::make_unique<CountingService>("b", 3600s);
    auto* pa = a.get();
    auto* pb = b.get();
    runner.add(std::move(a));
    runner.add(std::move(b));
    auto summary = runner.run();
    EXPECT_EQ(pa->cycles, 1);
    EXPECT_EQ(pb->cycles, 1);
    EXPECT_TRUE(pa->persisted);
    EXPECT_TRUE(pb->persisted);
    EXPECT_EQ(summary.cycles, 2u);
    EXPECT_EQ(summary.failed_cycles, 0u);
    EXPECT_FALSE(summary.interrupted);
}

TEST(ServiceRunner, OneShotServicesFinishBeforeTheOthersStart) {
    ServiceRunner runner(test_options(false));
    auto init = std::make_unique<CountingService>("initializer", 3600s);
    auto recurring = std::make_unique<CountingService>("recurring", 3600s);
    auto* pinit = init.get();
    auto* precurring = recurring.get();
    pinit->one_shot_service = true;
    pinit->slow = true;
    int init_cycles_seen = -1;
    precurring->before_cycle = [&] { init_cycles_seen = pinit->cycles; };
    precurring->stop_after = 1;
    runner.add(std::move(recurring));  // added first, still started second
    runner.add(std::move(init));
    auto summary = runner.run();
    EXPECT_EQ(init_cycles_seen, 1) << "the recurring service started before the one-shot service completed";
    EXPECT_EQ(pinit->cycles, 1);
    EXPECT_EQ(precurring->cycles, 1);
    EXPECT_EQ(summary.cycles, 2u);
}

TEST(ServiceRunner, FailedCycleIsCountedAndTheNextCycleStillRuns) {
    ServiceRunner runner(test_options(false));
    auto s = std::make_unique<CountingService>("flaky", 0s);
    s->fail_first = true;
    s->stop_after = 3;
    auto* ps = s.get();
    runner.add(std::move(s));
    auto summary = runner.run();
    EXPECT_EQ(ps->cycles, 3);
    EXPECT_EQ(summary.failed_cycles, 1u);
    EXPECT_EQ(summary.cycles, 2u);
    EXPECT_TRUE(summary.interrupted);
}

TEST(ServiceRunner, StopRequestEndsTheIntervalSleepPromptly) {
    ServiceRunner runner(test_options(false));
    auto s = std::make_unique<CountingService>("sleepy", 3600s);
    auto* ps = s.get();
    runner.add(std::move(s));
    std::thread stopper([&] {
        while (ps->cycles.load() == 0) std::this_thread::sleep_for(5ms);
        std::this_thread::sleep_for(50ms);
        runner.request_stop();
    });
    const auto started = std::chrono::steady_clock::now();
    auto summary = runner.run();
    stopper.join();
    EXPECT_LT(std::chrono::steady_clock::now() - started, 30s);  // not the 3600 s interval
    EXPECT_EQ(ps->cycles, 1);
    EXPECT_TRUE(summary.interrupted);
    EXPECT_FALSE(summary.abandoned_work);
    EXPECT_TRUE(ps->persisted);
}

TEST(ServiceRunner, StuckWorkIsAbandonedAfterTheGracePeriodAndStateIsStillPersisted) {
    ServiceRunner runner(test_options(false));
    auto s = std::make_unique<CountingService>("stuck", 3600s);
    s->stall = true;
    auto* ps = s.get();
    runner.add(std::move(s));
    std::thread stopper([&] {
        while (ps->cycles.load() == 0) std::this_thread::sleep_for(5ms);
        runner.request_stop();
    });
    auto summary = runner.run();
    stopper.join();
    EXPECT_TRUE(summary.abandoned_work);
    EXPECT_TRUE(summary.interrupted);
    EXPECT_TRUE(ps->persisted);
}

TEST(ServiceRunner, SigtermStopsTheRunner) {
    RunnerOptions o = test_options(false);
    o.handle_signals = true;
    ServiceRunner runner(o);
    auto s = std::make_unique<CountingService>("signalled", 3600s);
    auto* ps = s.get();
    runner.add(std::move(s));
    std::thread killer([&] {
        while (ps->cycles.load() == 0) std::this_thread::sleep_for(5ms);
        std::this_thread::sleep_for(50ms);
        std::raise(SIGTERM);
    });
    auto summary = runner.run();
    killer.join();
    EXPECT_TRUE(summary.interrupted);
    EXPECT_TRUE(ps->persisted);
}

// ---- TaskGroup and run_blocking, the building blocks of concurrent cycles ----

namespace {

// Runs `body` on a 2-thread io_context until it completes.
void run_on_io(std::function<asio::awaitable<void>()> body) {
    asio::io_context io(2);
    std::exception_ptr error;
    bool done = false;
    asio::co_spawn(io, body(), [&](std::exception_ptr e) {
        error = e;
        done = true;
    });
    std::thread second([&] { io.run(); });
    io.run();
    second.join();
    ASSERT_TRUE(done);
    if (error) std::rethrow_exception(error);
}

}  // namespace

TEST(TaskGroup, WaitsForEveryTask) {
    std::atomic<int> finished{0};
    run_on_io([&]() -> asio::awaitable<void> {
        brotr::runtime::TaskGroup group(co_await asio::this_coro::executor);
        // Arguments, not captures: a coroutine outlives the lambda object that started it.
        auto task = [](std::atomic<int>& counter, int i) -> asio::awaitable<void> {
            asio::steady_timer t(co_await asio::this_coro::executor, std::chrono::milliseconds(i % 7));
            co_await t.async_wait(asio::use_awaitable);
            ++counter;
        };
        for (int i = 0; i < 50; ++i) group.spawn(task(finished, i));
        co_await group.wait();
        EXPECT_EQ(finished.load(), 50);
    });
}

TEST(TaskGroup, WaitOnAnEmptyGroupReturnsAtOnce) {
    run_on_io([]() -> asio::awaitable<void> {
        brotr::runtime::TaskGroup group(co_await asio::this_coro::executor);
        co_await group.wait();
    });
}

TEST(TaskGroup, FirstExceptionIsRethrownAfterAllTasksEnded) {
    std::atomic<int> finished{0};
    EXPECT_THROW(run_on_io([&]() -> asio::awaitable<void> {
                     brotr::runtime::TaskGroup group(co_await asio::this_coro::executor);
                     group.spawn([]() -> asio::awaitable<void> {
                         throw std::runtime_error("task failed");
                         co_return;
                     }());
                     group.spawn([](std::atomic<int>& counter) -> asio::awaitable<void> {
                         asio::steady_timer t(co_await asio::this_coro::executor, 20ms);
                         co_await t.async_wait(asio::use_awaitable);
                         ++counter;
                     }(finished));
                     try {
                         co_await group.wait();
                     } catch (...) {
                         EXPECT_EQ(finished.load(), 1);  // the other task was not abandoned
                         throw;
                     }
                 }),
                 std::runtime_error);
}

TEST(RunBlocking, RunsOnThePoolAndResumesOnTheCallersExecutor) {
    asio::thread_pool pool(1);
    std::thread::id pool_thread;
    asio::post(pool, [&] { pool_thread = std::this_thread::get_id(); });
    std::this_thread::sleep_for(20ms);
    run_on_io([&]() -> asio::awaitable<void> {
        auto result = co_await brotr::runtime::run_blocking(pool, [&] {
            EXPECT_EQ(std::this_thread::get_id(), pool_thread);
            return 41 + 1;
        });
        EXPECT_EQ(result, 42);
        EXPECT_NE(std::this_thread::get_id(), pool_thread);
    });
    pool.join();
}

TEST(RunBlocking, ExceptionsReachTheCaller) {
    asio::thread_pool pool(1);
    run_on_io([&]() -> asio::awaitable<void> {
        bool caught = false;
        try {
            co_await brotr::runtime::run_blocking(pool, []() -> int { throw std::invalid_argument("bad"); });
        } catch (const std::invalid_argument&) {
            caught = true;
        }
        EXPECT_TRUE(caught);
    });
    pool.join();
}

TEST(RunBlocking, BlockingWorkDoesNotHoldUpOtherCoroutines) {
    // One I/O thread: while the pool sleeps, a timer on the I/O thread still fires.
    asio::thread_pool pool(1);
    asio::io_context io(1);
    std::atomic<bool> blocking_done{false};
    std::atomic<bool> timer_fired_while_blocking{false};
    asio::co_spawn(io, [&]() -> asio::awaitable<void> {
        co_await brotr::runtime::run_blocking(pool, [&] {
            std::this_thread::sleep_for(300ms);
            blocking_done = true;
            return 0;
        });
    }, asio::detached);
    asio::co_spawn(io, [&]() -> asio::awaitable<void> {
        asio::steady_timer t(co_await asio::this_coro::executor, 20ms);
        co_await t.async_wait(asio::use_awaitable);
        timer_fired_while_blocking = !blocking_done.load();
    }, asio::detached);
    io.run();
    pool.join();
    EXPECT_TRUE(timer_fired_while_blocking);
}
