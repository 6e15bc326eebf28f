#include "storage/metadata_codec.hpp"

#include <array>

#include "storage/key_layout.hpp"
#include "storage/varint.hpp"

namespace brotr::storage {

namespace {

// The NIP-11 fields in PostgreSQL column order.
std::array<std::optional<std::string>*, 13> fields_of(Nip11& d) {
    return {&d.name,     &d.description, &d.banner,         &d.icon,
            &d.pubkey,   &d.contact,     &d.supported_nips, &d.software,
            &d.version,  &d.privacy_policy, &d.terms_of_service, &d.limitation,
            &d.extra_fields};
}

}  // namespace

std::string encode_nip11(const Nip11& doc) {
    Nip11 copy = doc;
    auto fields = fields_of(copy);
    std::uint16_t mask = 0;
    for (std::size_t i = 0; i < fields.size(); ++i)
        if (fields[i]->has_value()) mask = static_cast<std::uint16_t>(mask | (1u << i));
    std::string out;
    put_be16(out, mask);
    for (auto* f : fields) {
        if (!f->has_value()) continue;
        put_varint(out, (*f)->size());
        out.append(**f);
    }
    return out;
}

std::optional<Nip11> decode_nip11(std::string_view in) {
    if (in.size() < 2) return std::nullopt;
    std::uint16_t mask = get_be16(in.data());
    in.remove_prefix(2);
    Nip11 doc;
    auto fields = fields_of(doc);
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (!(mask & (1u << i))) continue;
        std::uint64_t n = 0;
        if (!get_varint(in, n) || n > in.size()) return std::nullopt;
        *fields[i] = std::string(in.substr(0, n));
        in.remove_prefix(n);
    }
    if (!in.empty() || (mask >> fields.size()) != 0) return std::nullopt;
    return doc;
}

std::string encode_nip66(const Nip66& r) {
    std::uint8_t flags = (r.openable ? 1 : 0) | (r.readable ? 2 : 0) | (r.writable ? 4 : 0) |
                         (r.rtt_open ? 8 : 0) | (r.rtt_read ? 16 : 0) | (r.rtt_write ? 32 : 0);
    std::string out(1, static_cast<char>(flags));
    for (const auto& rtt : {r.rtt_open, r.rtt_read, r.rtt_write})
        if (rtt) put_varint(out, zigzag(*rtt));
    return out;
}

std::optional<Nip66> decode_nip66(std::string_view in) {
    if (in.empty()) return std::nullopt;
    auto flags = static_cast<std::uint8_t>(in.front());
    in.remove_prefix(1);
    if (flags >> 6) return std::nullopt;
    Nip66 r;
    r.openable = flags & 1;
    r.readable = flags & 2;
    r.writable = flags & 4;
    std::optional<std::int32_t>* rtts[] = {&r.rtt_open, &r.rtt_read, &r.rtt_write};
    for (int i = 0; i < 3; ++i) {
        if (!(flags & (8 << i))) continue;
        std::uint64_t z = 0;
        if (!get_varint(in, z)) return std::nullopt;
        std::int64_t v = unzigzag(z);
        if (v < INT32_MIN || v > INT32_MAX) return std::nullopt;
        *rtts[i] = static_cast<std::int32_t>(v);
    }
    if (!in.empty()) return std::nullopt;
    return r;
}

std::string encode_snapshot_refs(const SnapshotRefs& refs) {
    std::string out(1, static_cast<char>((refs.nip11_id ? 1 : 0) | (refs.nip66_id ? 2 : 0)));
    if (refs.nip11_id) put_bytes(out, *refs.nip11_id);
    if (refs.nip66_id) put_bytes(out, *refs.nip66_id);
    return out;
}

std::optional<SnapshotRefs> decode_snapshot_refs(std::string_view in) {
    if (in.empty()) return std::nullopt;
    auto flags = static_cast<std::uint8_t>(in.front());
    in.remove_prefix(1);
    if (flags >> 2) return std::nullopt;
    SnapshotRefs refs;
    if (flags & 1) {
        if (in.size() < 32) return std::nullopt;
        refs.nip11_id = get_bytes<32>(in.data());
        in.remove_prefix(32);
    }
    if (flags & 2) {
        if (in.size() < 32) return std::nullopt;
        refs.nip66_id = get_bytes<32>(in.data());
        in.remove_prefix(32);
    }
    if (!in.empty()) return std::nullopt;
    return refs;
}

}  // namespace brotr::storage
