#include "services/monitor_keys.hpp"

#include <cstdlib>

#include "brotr/hex.hpp"

namespace brotr::services {

namespace {

std::string trimmed_lower(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
        s.remove_suffix(1);
    }
    std::string out(s);
    for (char& c : out) c = (c >= 'A' && c <= 'F') ? static_cast<char>(c - 'A' + 'a') : c;
    return out;
}

}  // namespace

MonitorKeys load_monitor_keys(std::string_view configured_public_key, const std::optional<std::string>& env_value) {
    MonitorKeys keys;
    const std::string env_name(kMonitorKeyEnv);
    if (!env_value || env_value->empty()) {
        keys.note = configured_public_key.empty()
                        ? "no keys configured: the write test is skipped"
                        : env_name + " is not set: the write test is skipped although keys.public_key is set";
        return keys;
    }
    auto secret = parse_secret_key(trimmed_lower(*env_value));
    if (!secret) {
        throw MonitorKeyError(env_name +
                              " is not a valid secret key (expected 64 hexadecimal characters encoding a "
                              "secp256k1 secret key)");
    }
    const Bytes32 derived = public_key(*secret);
    const std::string derived_hex = to_hex(derived);
    if (configured_public_key.empty()) {
        throw MonitorKeyError(env_name + " is set but keys.public_key is empty in monitor.yaml; its public key is " +
                              derived_hex);
    }
    if (configured_public_key != derived_hex) {
        throw MonitorKeyError("keys.public_key " + std::string(configured_public_key) +
                              " in monitor.yaml does not match the public key of " + env_name + " (" + derived_hex +
                              ")");
    }
    keys.secret = secret;
    keys.public_key = derived;
    return keys;
}

MonitorKeys load_monitor_keys_from_env(std::string_view configured_public_key) {
    const char* value = std::getenv(std::string(kMonitorKeyEnv).c_str());
    return load_monitor_keys(configured_public_key,
                             value ? std::optional<std::string>(value) : std::optional<std::string>());
}

}  // namespace brotr::services
