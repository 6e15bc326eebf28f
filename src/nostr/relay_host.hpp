// The host part of a relay URL: validation and normalization, kept apart from
// the URL grammar so each can be read (and tested through RelayUrl) on its own.
#pragma once

#include <string>
#include <string_view>

namespace brotr::detail {

inline constexpr std::size_t kMaxHostLength = 253;   // DNS name, without trailing dot
inline constexpr std::size_t kMaxLabelLength = 63;   // one DNS label

enum class HostKind { dns_name, ipv4, ipv6 };

struct NormalizedHost {
    std::string name;  // lower-case; IPv6 in canonical text form, without brackets
    HostKind kind = HostKind::dns_name;
};

// `raw` is the authority without port; IPv6 literals still carry their
// brackets. Returns false and sets `why` (when given) for an invalid host.
bool normalize_host(std::string_view raw, NormalizedHost& out, std::string* why);

}  // namespace brotr::detail
