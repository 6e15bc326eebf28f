#include "nostr/secp256k1_context.hpp"

#include <openssl/rand.h>

#include <array>
#include <stdexcept>

namespace brotr::detail {
namespace {

secp256k1_context* create_context() {
    secp256k1_context* ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
    if (ctx == nullptr) throw std::runtime_error("secp256k1_context_create failed");
    std::array<unsigned char, 32> seed{};
    if (RAND_bytes(seed.data(), static_cast<int>(seed.size())) != 1 ||
        secp256k1_context_randomize(ctx, seed.data()) != 1) {
        secp256k1_context_destroy(ctx);
        throw std::runtime_error("cannot randomize the secp256k1 context");
    }
    return ctx;
}

}  // namespace

const secp256k1_context* secp256k1_shared_context() {
    // Never destroyed: threads may still verify while static destructors run.
    static const secp256k1_context* const ctx = create_context();
    return ctx;
}

}  // namespace brotr::detail
