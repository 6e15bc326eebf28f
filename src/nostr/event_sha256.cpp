#include "nostr/event_sha256.hpp"

#include <openssl/evp.h>

#include <stdexcept>

namespace brotr::detail {
namespace {

const EVP_MD* sha256_algorithm() {
    static EVP_MD* const md = [] {
        EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
        if (fetched == nullptr) throw std::runtime_error("OpenSSL has no SHA256");
        return fetched;
    }();
    return md;
}

void check(int rc, const char* what) {
    if (rc != 1) throw std::runtime_error(std::string("OpenSSL ") + what + " failed");
}

}  // namespace

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
    if (ctx_ == nullptr) throw std::runtime_error("EVP_MD_CTX_new failed");
    reset();
}

Sha256::~Sha256() { EVP_MD_CTX_free(ctx_); }

void Sha256::reset() { check(EVP_DigestInit_ex2(ctx_, sha256_algorithm(), nullptr), "EVP_DigestInit_ex2"); }

void Sha256::update(const void* data, std::size_t size) {
    check(EVP_DigestUpdate(ctx_, data, size), "EVP_DigestUpdate");
}

void Sha256::copy_state_from(const Sha256& other) {
    check(EVP_MD_CTX_copy_ex(ctx_, other.ctx_), "EVP_MD_CTX_copy_ex");
}

Bytes32 Sha256::finish() {
    Bytes32 digest{};
    unsigned int size = 0;
    check(EVP_DigestFinal_ex(ctx_, digest.data(), &size), "EVP_DigestFinal_ex");
    return digest;
}

Bytes32 sha256(std::string_view data) {
    thread_local Sha256 hasher;
    hasher.reset();
    hasher.update(data);
    return hasher.finish();
}

}  // namespace brotr::detail
