// SHA-256 through OpenSSL's EVP interface, with the algorithm fetched once
// and contexts reused: per-call fetching and allocation would cost more than
// hashing a typical event.
#pragma once

#include <cstddef>
#include <string_view>

#include "brotr/event.hpp"

typedef struct evp_md_ctx_st EVP_MD_CTX;

namespace brotr::detail {

class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;

    void reset();
    void update(const void* data, std::size_t size);
    void update(std::string_view s) { update(s.data(), s.size()); }
    // Copies the running state of other (to hash many messages sharing a prefix).
    void copy_state_from(const Sha256& other);
    Bytes32 finish();

private:
    EVP_MD_CTX* ctx_;
};

// One-shot hash using a per-thread context.
Bytes32 sha256(std::string_view data);

}  // namespace brotr::detail
