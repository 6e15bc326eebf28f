#include "storage/event_codec.hpp"

#include "brotr/hex.hpp"
#include "storage/key_layout.hpp"
#include "storage/varint.hpp"

namespace brotr::storage {

namespace {

constexpr std::size_t kFixedSize = 32 + 32 + 64;

// Even-length lower-case hex (ids, keys, hashes in tags) is stored as its
// bytes, at half the size; the header's low bit tells which form follows.
void put_string(std::string& out, std::string_view s) {
    if (!s.empty() && s.size() % 2 == 0) {
        const std::size_t n = s.size() / 2;
        const std::size_t start = out.size();
        put_varint(out, (static_cast<std::uint64_t>(n) << 1) | 1);
        const std::size_t at = out.size();
        out.resize(at + n);
        if (from_hex_lower(s, std::span<std::uint8_t>(reinterpret_cast<std::uint8_t*>(out.data() + at), n))) return;
        out.resize(start);
    }
    put_varint(out, static_cast<std::uint64_t>(s.size()) << 1);
    out.append(s);
}

bool get_string(std::string_view& in, std::string& s) {
    std::uint64_t header = 0;
    if (!get_varint(in, header)) return false;
    std::uint64_t n = header >> 1;
    if (n > in.size()) return false;
    auto bytes = in.substr(0, n);
    in.remove_prefix(n);
    if (header & 1) {
        s = to_hex(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
    } else {
        s.assign(bytes);
    }
    return true;
}

}  // namespace

void encode_event(const Event& e, bool with_body, std::string& out) {
    put_bytes(out, e.id);
    put_bytes(out, e.pubkey);
    put_bytes(out, e.sig);
    put_varint(out, static_cast<std::uint64_t>(e.created_at));
    put_varint(out, e.kind);
    if (!with_body) return;
    put_varint(out, e.tags.size());
    for (const auto& tag : e.tags) {
        put_varint(out, tag.size());
        for (const auto& element : tag) put_string(out, element);
    }
    put_string(out, e.content);
}

std::optional<EventHeader> decode_event_header(std::string_view in) {
    if (in.size() < kFixedSize + 2) return std::nullopt;
    EventHeader h{};
    h.id = get_bytes<32>(in.data());
    h.pubkey = get_bytes<32>(in.data() + 32);
    h.sig = get_bytes<64>(in.data() + 64);
    in.remove_prefix(kFixedSize);
    std::uint64_t created = 0, kind = 0;
    if (!get_varint(in, created) || !get_varint(in, kind)) return std::nullopt;
    if (created > static_cast<std::uint64_t>(INT64_MAX) || kind > 0xffff) return std::nullopt;
    h.created_at = static_cast<std::int64_t>(created);
    h.kind = static_cast<std::uint16_t>(kind);
    return h;
}

std::optional<Event> decode_event(std::string_view in, bool with_body) {
    auto h = decode_event_header(in);
    if (!h) return std::nullopt;
    Event e;
    e.id = h->id;
    e.pubkey = h->pubkey;
    e.sig = h->sig;
    e.created_at = h->created_at;
    e.kind = h->kind;
    if (!with_body) return e;
    // Skip the header again: its length varies with the varints.
    in.remove_prefix(kFixedSize);
    std::uint64_t skip = 0;
    get_varint(in, skip);
    get_varint(in, skip);
    std::uint64_t ntags = 0;
    if (!get_varint(in, ntags) || ntags > in.size()) return std::nullopt;
    e.tags.resize(ntags);
    for (auto& tag : e.tags) {
        std::uint64_t n = 0;
        if (!get_varint(in, n) || n > in.size()) return std::nullopt;
        tag.resize(n);
        for (auto& element : tag)
            if (!get_string(in, element)) return std::nullopt;
    }
    if (!get_string(in, e.content) || !in.empty()) return std::nullopt;
    return e;
}

}  // namespace brotr::storage
