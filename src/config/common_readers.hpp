// Readers for values that several config files share: intervals, the Tor
// proxy block, public keys, host names, relative paths.
#pragma once

#include <filesystem>
#include <string>

#include "brotr/config.hpp"
#include "config/yaml_reader.hpp"

namespace brotr::config_detail {

inline constexpr double kMinInterval = 1;       // seconds
inline constexpr double kMaxInterval = 604800;  // one week

void read_interval(MapValue& map, double& out);
void read_tor(MapValue& parent, TorConfig& out);
// 64 lower-case hex characters (an x-only public key), or absent.
void read_public_key(MapValue& map, std::string& out);
// A host name or IP address to connect to or listen on.
std::string as_host(const Value& v);
// Relative paths resolve against `base`; the result is lexically normal.
std::filesystem::path resolve_path(const std::filesystem::path& base, const std::filesystem::path& p);

}  // namespace brotr::config_detail
