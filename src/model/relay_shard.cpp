#include "model/relay_shard.hpp"

#include <charconv>
#include <stdexcept>
#include <string>

#include "nostr/event_sha256.hpp"

namespace brotr {

std::uint32_t relay_shard(std::string_view normalized_url, std::uint32_t count) {
    const Bytes32 digest = detail::sha256(normalized_url);
    std::uint64_t prefix = 0;
    for (int i = 0; i < 8; ++i) prefix = (prefix << 8) | digest[static_cast<std::size_t>(i)];
    return static_cast<std::uint32_t>(prefix % count);
}

ShardConfig parse_shard(std::string_view text) {
    const auto slash = text.find('/');
    const auto number = [&](std::string_view part, const char* what) {
        std::uint32_t value = 0;
        const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
        if (part.empty() || ec != std::errc() || end != part.data() + part.size())
            throw std::invalid_argument("shard \"" + std::string(text) + "\": " + what +
                                        " is not a whole number (write index/count, e.g. 0/3)");
        return value;
    };
    if (slash == std::string_view::npos)
        throw std::invalid_argument("shard \"" + std::string(text) + "\": write index/count, e.g. 0/3");
    ShardConfig shard{number(text.substr(0, slash), "the index"), number(text.substr(slash + 1), "the count")};
    if (shard.count < 1 || shard.count > kMaxShards)
        throw std::invalid_argument("shard \"" + std::string(text) + "\": the count must be 1 to " +
                                    std::to_string(kMaxShards));
    if (shard.index >= shard.count)
        throw std::invalid_argument("shard \"" + std::string(text) + "\": the index must be 0 to count - 1");
    return shard;
}

}  // namespace brotr
