// Screening URLs found by the finder before they enter the registry. They
// come from strangers (events, public APIs), so:
//   - they must be valid relay URLs (RelayUrl::parse normalizes them);
//   - hosts that are IP literals in ranges the SSRF rule refuses (loopback,
//     private, link-local, multicast, unspecified, ...) are never added;
//   - so are the names that always mean this machine or the local link:
//     "localhost" and *.localhost (RFC 6761, loopback), *.local (mDNS, private).
// Names that merely resolve to such addresses are caught when connecting
// (the network layer applies the same rule after DNS resolution).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "brotr/address_policy.hpp"
#include "brotr/relay_url.hpp"

namespace brotr::services {

enum class UrlVerdict : std::uint8_t { accepted, invalid, refused_address };

struct ScreenedUrl {
    UrlVerdict verdict = UrlVerdict::invalid;
    std::optional<RelayUrl> url;  // set when accepted
    std::string why;              // set otherwise
};

ScreenedUrl screen_discovered_url(std::string_view text, const AddressPolicy& policy);

}  // namespace brotr::services
