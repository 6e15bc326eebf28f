// The monitor's key pair for the NIP-66 write test (and for publishing its
// results): the secret key from the environment variable MONITOR_PRIVATE_KEY,
// checked against keys.public_key of monitor.yaml at start-up. Error
// messages may name public keys, never the secret one.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "brotr/keys.hpp"

namespace brotr::services {

inline constexpr std::string_view kMonitorKeyEnv = "MONITOR_PRIVATE_KEY";

class MonitorKeyError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct MonitorKeys {
    std::optional<SecretKey> secret;  // nullopt: the write test is skipped
    Bytes32 public_key{};             // valid when secret is set
    std::string note;                 // why there is no key, for a start-up log line
};

// `env_value` is the variable's value (nullopt or empty when unset).
// Throws MonitorKeyError when the variable is set but is not a secret key,
// when keys.public_key is empty or differs from its public key.
MonitorKeys load_monitor_keys(std::string_view configured_public_key, const std::optional<std::string>& env_value);

// Reads MONITOR_PRIVATE_KEY from the environment.
MonitorKeys load_monitor_keys_from_env(std::string_view configured_public_key);

}  // namespace brotr::services
