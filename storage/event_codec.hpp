// The compact binary form of an event in the `events` column family.
//
//   id(32) pubkey(32) sig(64) varint(created_at) varint(kind)
//   bigbrotr only: varint(tag count) { varint(element count) { string } } string(content)
//   string = varint(length << 1 | hex) bytes
//
// A string of lower-case hex digits of even length is stored decoded (hex
// flag set, half the bytes): tag values are mostly event ids and pubkeys.
// Decoding gives back exactly the original text.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "brotr/event.hpp"

namespace brotr::storage {

// lilbrotr stores neither tags nor content.
void encode_event(const Event& e, bool with_body, std::string& out);

// nullopt on corrupt input. A lilbrotr record decodes with empty tags and content.
std::optional<Event> decode_event(std::string_view in, bool with_body);

// The fixed-position fields, without decoding tags and content.
struct EventHeader {
    Bytes32 id;
    Bytes32 pubkey;
    Bytes64 sig;
    std::int64_t created_at;
    std::uint16_t kind;
};
std::optional<EventHeader> decode_event_header(std::string_view in);

}  // namespace brotr::storage
