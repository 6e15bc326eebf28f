// NIP-13 proof of work: the difficulty of an id is its number of leading
// zero bits; mining varies a ["nonce", n, target] tag until it is reached.
#include <bit>
#include <charconv>
#include <stdexcept>
#include <string>

#include "brotr/keys.hpp"
#include "nostr/event_json_escape.hpp"
#include "nostr/event_sha256.hpp"

namespace brotr {

int pow_difficulty(const Bytes32& id) {
    int bits = 0;
    for (std::uint8_t byte : id) {
        if (byte != 0) return bits + std::countl_zero(byte);
        bits += 8;
    }
    return bits;
}

std::optional<int> committed_pow_target(const Event& event) {
    for (const Tag& tag : event.tags) {
        if (tag.size() < 3 || tag[0] != "nonce") continue;
        int target = 0;
        const auto* end = tag[2].data() + tag[2].size();
        const auto result = std::from_chars(tag[2].data(), end, target);
        if (result.ec == std::errc() && result.ptr == end) return target;
    }
    return std::nullopt;
}

// On failure the event is left without a nonce tag.
bool mine_pow(Event& event, int target_difficulty, const MineOptions& options) {
    if (target_difficulty < 0 || target_difficulty > 256) {
        throw std::invalid_argument("NIP-13 difficulty must be between 0 and 256");
    }
    std::erase_if(event.tags, [](const Tag& tag) { return !tag.empty() && tag[0] == "nonce"; });
    const std::string target = std::to_string(target_difficulty);
    event.tags.push_back({"nonce", "", target});

    // The nonce tag is last, so the serialization is
    //   <prefix ... ["nonce","> <n> <","target"]],"content"]>
    // and the prefix is hashed once; each attempt hashes only n and the tail.
    const std::string serialized = canonical_serialization(event);
    std::string tail = "\",\"" + target + "\"]],";
    detail::append_json_string(event.content, tail);
    tail.push_back(']');
    if (serialized.size() < tail.size() || serialized.compare(serialized.size() - tail.size(), tail.size(), tail) != 0) {
        throw std::logic_error("unexpected canonical serialization layout");
    }
    detail::Sha256 prefix;
    prefix.update(serialized.data(), serialized.size() - tail.size());
    detail::Sha256 attempt;

    char digits[24];
    for (std::uint64_t n = 0; n < options.max_attempts; ++n) {
        if ((n & 0xfff) == 0 && options.cancel != nullptr && options.cancel->load(std::memory_order_relaxed)) {
            event.tags.pop_back();
            return false;
        }
        const auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
        attempt.copy_state_from(prefix);
        attempt.update(digits, static_cast<std::size_t>(end - digits));
        attempt.update(tail);
        const Bytes32 id = attempt.finish();
        if (pow_difficulty(id) >= target_difficulty) {
            event.tags.back()[1].assign(digits, end);
            event.id = id;
            return true;
        }
    }
    event.tags.pop_back();
    return false;
}

}  // namespace brotr
