// Values of the nip11, nip66 and relay_metadata column families.
//
//   nip11:          u16 presence bitmask (bit i = field i in column order),
//                   then each present field as varint(length) bytes
//   nip66:          flags(1): openable, readable, writable, has rtt_open,
//                   has rtt_read, has rtt_write; then zigzag varints of the rtts
//   relay_metadata: flags(1): bit0 nip11_id follows, bit1 nip66_id follows
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "brotr/metadata.hpp"

namespace brotr::storage {

std::string encode_nip11(const Nip11& doc);
std::optional<Nip11> decode_nip11(std::string_view in);

std::string encode_nip66(const Nip66& result);
std::optional<Nip66> decode_nip66(std::string_view in);

struct SnapshotRefs {
    std::optional<Bytes32> nip11_id;
    std::optional<Bytes32> nip66_id;
};
std::string encode_snapshot_refs(const SnapshotRefs& refs);
std::optional<SnapshotRefs> decode_snapshot_refs(std::string_view in);

}  // namespace brotr::storage
