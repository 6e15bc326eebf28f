// The one libsecp256k1 context of the process.
#pragma once

#include <secp256k1.h>

namespace brotr::detail {

// Created and randomized (side-channel blinding for signing) on first use.
// libsecp256k1 functions that take a const context are thread-safe, so the
// whole process shares this one for verifying and signing.
const secp256k1_context* secp256k1_shared_context();

}  // namespace brotr::detail
