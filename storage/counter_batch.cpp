#include "storage/counter_batch.hpp"

#include "storage/key_layout.hpp"

namespace brotr::storage {

void announce_event(CounterBatch& b, const Bytes32& pubkey, std::uint16_t kind) {
    b.need(pubkey_counter_key(pubkey));
    b.need(pubkey_kind_marker_key(pubkey, kind));
    b.need(kind_counter_key(kind));
}

void count_event(CounterBatch& b, const Bytes32& pubkey, std::uint16_t kind, std::int64_t created_at) {
    const std::string pk = pubkey_counter_key(pubkey);
    const std::string pk_kind = pubkey_kind_marker_key(pubkey, kind);
    const std::string k = kind_counter_key(kind);
    const bool new_author = b.first(pk);
    const bool new_author_kind = b.first(pk_kind);
    const bool new_kind = b.first(k);

    CounterRecord one;
    one.count = 1;
    one.add_time(created_at);
    b.add(global_counter_key(Global::events), one);
    switch (kind_class(kind)) {
        case KindClass::regular: b.add_count(global_counter_key(Global::regular)); break;
        case KindClass::replaceable: b.add_count(global_counter_key(Global::replaceable)); break;
        case KindClass::ephemeral: b.add_count(global_counter_key(Global::ephemeral)); break;
        case KindClass::addressable: b.add_count(global_counter_key(Global::addressable)); break;
        case KindClass::none: break;
    }
    if (new_author) b.add_count(global_counter_key(Global::pubkeys));
    if (new_kind) b.add_count(global_counter_key(Global::kinds));

    CounterRecord author = one;
    author.distinct = new_author_kind ? 1 : 0;
    b.add(pk, author);
    if (new_author_kind) b.mark(pk_kind);
    CounterRecord of_kind;
    of_kind.count = 1;
    of_kind.distinct = new_author_kind ? 1 : 0;
    b.add(k, of_kind);

    const auto t = static_cast<std::uint64_t>(created_at);
    for (int level = 0; level < kHistogramLevels; ++level)
        b.add_count(histogram_key(level, t >> histogram_shift(level)));
}

void announce_link(CounterBatch& b, std::string_view relay_url, const Bytes32& pubkey, std::uint16_t kind) {
    b.need(relay_pubkey_counter_key(relay_url, pubkey));
    b.need(relay_pubkey_kind_marker_key(relay_url, pubkey, kind));
}

void count_link(CounterBatch& b, std::string_view relay_url, const Bytes32& pubkey, std::uint16_t kind,
                std::int64_t created_at) {
    const std::string rp = relay_pubkey_counter_key(relay_url, pubkey);
    const std::string rp_kind = relay_pubkey_kind_marker_key(relay_url, pubkey, kind);
    const bool new_relay_author = b.first(rp);
    const bool new_relay_author_kind = b.first(rp_kind);

    b.add_count(global_counter_key(Global::links));
    CounterRecord relay;
    relay.count = 1;
    relay.distinct = new_relay_author ? 1 : 0;
    relay.add_time(created_at);
    b.add(relay_counter_key(relay_url), relay);

    CounterRecord relay_author;
    relay_author.count = 1;
    relay_author.distinct = new_relay_author_kind ? 1 : 0;
    relay_author.add_time(created_at);
    b.add(rp, relay_author);
    if (new_relay_author_kind) b.mark(rp_kind);

    CounterRecord relay_kind;
    relay_kind.count = 1;
    relay_kind.distinct = new_relay_author_kind ? 1 : 0;
    b.add(relay_kind_counter_key(relay_url, kind), relay_kind);
}

}  // namespace brotr::storage
