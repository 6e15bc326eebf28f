// Shared set-up of the monitor integration tests: a store in a temporary
// directory, a monitor allowed to reach loopback, and running its cycle.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <optional>
#include <string>

#include "brotr/hex.hpp"
#include "brotr/keys.hpp"
#include "brotr/store.hpp"
#include "runtime/service.hpp"
#include "runtime/shutdown.hpp"
#include "services/monitor.hpp"
#include "support/fake_relay.hpp"
#include "support/test_env.hpp"

namespace brotr::test {

inline services::MonitorKeys fresh_monitor_keys() {
    services::MonitorKeys keys;
    keys.secret = generate_secret_key();
    keys.public_key = public_key(*keys.secret);
    return keys;
}

inline services::MonitorKeys no_monitor_keys() {
    services::MonitorKeys keys;
    keys.note = "test without keys";
    return keys;
}

inline MonitorConfig loopback_monitor_config() {
    MonitorConfig config;
    config.tor.enabled = false;
    config.selection.min_age_since_check = 3600;
    return config;
}

inline AddressPolicy loopback_policy() { return AddressPolicy{.allow_loopback = true}; }

inline runtime::CycleReport run_monitor_cycle(services::Monitor& monitor,
                                              std::chrono::seconds limit = std::chrono::seconds(120)) {
    runtime::Shutdown shutdown;
    return run_async<runtime::CycleReport>(
        [&](boost::asio::any_io_executor) -> boost::asio::awaitable<runtime::CycleReport> {
            co_return co_await monitor.run_cycle(shutdown);
        },
        limit, 2);
}

inline RelayUrl relay_url(const std::string& text) {
    auto url = RelayUrl::parse(text);
    if (!url) throw std::runtime_error("bad test URL " + text);
    return *url;
}

}  // namespace brotr::test
