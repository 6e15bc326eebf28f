// Secret keys, public keys and BIP-340 signing with libsecp256k1.
#include "brotr/keys.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <secp256k1_extrakeys.h>
#include <secp256k1_schnorrsig.h>

#include <stdexcept>

#include "brotr/hex.hpp"
#include "nostr/secp256k1_context.hpp"

namespace brotr {
namespace {

void random_bytes(std::span<std::uint8_t> out) {
    if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) {
        throw std::runtime_error("the random generator failed");
    }
}

// A keypair that wipes itself: it holds the secret key.
struct Keypair {
    secp256k1_keypair value;

    explicit Keypair(const SecretKey& secret) {
        if (secp256k1_keypair_create(detail::secp256k1_shared_context(), &value, secret.data()) != 1) {
            throw std::invalid_argument("invalid secret key");
        }
    }
    ~Keypair() { OPENSSL_cleanse(&value, sizeof value); }
    Keypair(const Keypair&) = delete;
    Keypair& operator=(const Keypair&) = delete;

    Bytes32 xonly_public_key() const {
        const secp256k1_context* ctx = detail::secp256k1_shared_context();
        secp256k1_xonly_pubkey xonly;
        Bytes32 out{};
        if (secp256k1_keypair_xonly_pub(ctx, &xonly, nullptr, &value) != 1 ||
            secp256k1_xonly_pubkey_serialize(ctx, out.data(), &xonly) != 1) {
            throw std::runtime_error("cannot derive the public key");
        }
        return out;
    }
};

}  // namespace

SecretKey generate_secret_key() {
    SecretKey secret{};
    // Out of range values are astronomically rare; draw again if one comes.
    do {
        random_bytes(secret);
    } while (secp256k1_ec_seckey_verify(detail::secp256k1_shared_context(), secret.data()) != 1);
    return secret;
}

std::optional<SecretKey> parse_secret_key(std::string_view hex) {
    SecretKey secret{};
    if (!from_hex_lower(hex, secret) ||
        secp256k1_ec_seckey_verify(detail::secp256k1_shared_context(), secret.data()) != 1) {
        OPENSSL_cleanse(secret.data(), secret.size());
        return std::nullopt;
    }
    return secret;
}

Bytes32 public_key(const SecretKey& secret) { return Keypair(secret).xonly_public_key(); }

std::optional<Bytes32> public_key_from_secret_hex(std::string_view secret_hex) {
    auto secret = parse_secret_key(secret_hex);
    if (!secret) return std::nullopt;
    const Bytes32 pubkey = public_key(*secret);
    OPENSSL_cleanse(secret->data(), secret->size());
    return pubkey;
}

void sign_event(Event& event, const SecretKey& secret) {
    const Keypair keypair(secret);
    event.pubkey = keypair.xonly_public_key();
    event.id = compute_event_id(event);
    Bytes32 aux{};
    random_bytes(aux);
    if (secp256k1_schnorrsig_sign32(detail::secp256k1_shared_context(), event.sig.data(), event.id.data(),
                                    &keypair.value, aux.data()) != 1) {
        throw std::runtime_error("Schnorr signing failed");
    }
}

bool sign_event_with_pow(Event& event, const SecretKey& secret, int target_difficulty,
                         const MineOptions& options) {
    event.pubkey = public_key(secret);
    if (target_difficulty > 0 && !mine_pow(event, target_difficulty, options)) return false;
    sign_event(event, secret);
    return true;
}

}  // namespace brotr
