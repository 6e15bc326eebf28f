// Hashing 32-byte ids and public keys for unordered containers.
#pragma once

#include <cstddef>
#include <cstring>

#include "brotr/event.hpp"

namespace brotr {

// Their first 8 bytes: ids are SHA-256 output and public keys are curve
// points, so those bytes are uniformly distributed already.
struct Bytes32Hash {
    std::size_t operator()(const Bytes32& b) const noexcept {
        std::size_t h;
        std::memcpy(&h, b.data(), sizeof h);
        return h;
    }
};

}  // namespace brotr
