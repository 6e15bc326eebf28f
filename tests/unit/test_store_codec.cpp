// The byte formats of the store: event records, counter records and their
// merge, metadata rows, key order, and refusal of corrupt bytes.
#include <gtest/gtest.h>

#include <rocksdb/merge_operator.h>

#include "storage/counter_record.hpp"
#include "storage/event_codec.hpp"
#include "storage/key_layout.hpp"
#include "storage/metadata_codec.hpp"
#include "storage/varint.hpp"
#include "unit/test_store_fixtures.hpp"

namespace brotr::storage {
namespace {

TEST(EventCodec, RoundTripsEveryKindOfEvent) {
    test::EventGenerator gen(1, 10);
    for (const auto& e : gen.batch(300)) {
        std::string big, lil;
        encode_event(e, true, big);
        encode_event(e, false, lil);
        EXPECT_EQ(decode_event(big, true), e);
        auto light = decode_event(lil, false);
        ASSERT_TRUE(light.has_value());
        EXPECT_EQ(light->id, e.id);
        EXPECT_TRUE(light->tags.empty() && light->content.empty());
        EXPECT_LT(lil.size(), 140u);
    }
}

TEST(EventCodec, StringsThatLookLikeHexComeBackExactly) {
    Event e;
    e.created_at = INT64_MAX;
    e.kind = 65535;
    e.tags = {{"e", "ab", "AB", "a", "", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"},
              {"x", "abc", "0g", "00", std::string("\0\x01", 2)},
              {}};
    e.content = "deadbeef";
    std::string bytes;
    encode_event(e, true, bytes);
    EXPECT_EQ(decode_event(bytes, true), e);
    // 64 hex characters are stored as 32 bytes.
    Event plain = e;
    plain.tags = {{"p", std::string(64, 'a')}};
    plain.content.clear();
    std::string hexed;
    encode_event(plain, true, hexed);
    // id+pubkey+sig, created_at (9-byte varint), kind (3), 1 tag of 2
    // elements, "p" (1+1), the value (1+32), empty content (1).
    EXPECT_EQ(hexed.size(), 128u + 9 + 3 + 1 + 1 + 2 + 33 + 1);
}

TEST(EventCodec, RefusesCorruptRecords) {
    test::EventGenerator gen(2, 3);
    Event e = gen.make(1, "hello", {{"t", "x"}}, 5, 0);
    std::string bytes;
    encode_event(e, true, bytes);
    EXPECT_FALSE(decode_event(bytes.substr(0, 100), true).has_value());        // cut in the header
    EXPECT_FALSE(decode_event(bytes.substr(0, bytes.size() - 1), true).has_value());  // cut in the content
    EXPECT_FALSE(decode_event(bytes + "x", true).has_value());                  // trailing bytes
    std::string huge_count = bytes.substr(0, 128) + std::string("\x05\x01\xff\xff\xff\xff\x0f", 7);
    EXPECT_FALSE(decode_event(huge_count, true).has_value());
    EXPECT_FALSE(decode_event_header("").has_value());
}

TEST(Varint, RoundTripsAndRefusesOverflow) {
    for (std::uint64_t v : std::initializer_list<std::uint64_t>{0, 1, 127, 128, 300, 1ull << 40, UINT64_MAX}) {
        std::string s;
        put_varint(s, v);
        std::string_view in = s;
        std::uint64_t out = 0;
        EXPECT_TRUE(get_varint(in, out));
        EXPECT_EQ(out, v);
        EXPECT_TRUE(in.empty());
    }
    std::string_view overflow = "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f";
    std::uint64_t v = 0;
    EXPECT_FALSE(get_varint(overflow, v));
    std::string_view truncated = "\x80";
    EXPECT_FALSE(get_varint(truncated, v));
    for (std::int64_t x : std::initializer_list<std::int64_t>{0, -1, 1, INT64_MIN, INT64_MAX}) EXPECT_EQ(unzigzag(zigzag(x)), x);
}

TEST(CounterRecord, EncodesAndMergesLikeAddition) {
    CounterRecord a;
    a.count = 3;
    a.distinct = 1;
    a.add_time(100);
    a.add_time(-5);
    CounterRecord b;
    b.count = 2;
    b.add_time(400);
    EXPECT_EQ(CounterRecord::decode(a.encode()), a);
    EXPECT_EQ(CounterRecord::decode(CounterRecord{}.encode()), CounterRecord{});
    EXPECT_EQ(CounterRecord::decode(""), CounterRecord{});
    EXPECT_FALSE(CounterRecord::decode("\x01").has_value());
    EXPECT_FALSE(CounterRecord::decode("\x01\x01\x01").has_value());

    auto op = make_counter_merge_operator();
    auto* assoc = dynamic_cast<rocksdb::AssociativeMergeOperator*>(op.get());
    ASSERT_NE(assoc, nullptr);
    std::string merged;
    const std::string ea = a.encode(), eb = b.encode();
    rocksdb::Slice existing(ea);
    ASSERT_TRUE(assoc->Merge("k", &existing, eb, &merged, nullptr));
    auto sum = CounterRecord::decode(merged);
    ASSERT_TRUE(sum.has_value());
    EXPECT_EQ(sum->count, 5u);
    EXPECT_EQ(sum->distinct, 1u);
    EXPECT_EQ(sum->min, -5);
    EXPECT_EQ(sum->max, 400);
    std::string fresh;
    ASSERT_TRUE(assoc->Merge("k", nullptr, eb, &fresh, nullptr));
    EXPECT_EQ(CounterRecord::decode(fresh), b);
    rocksdb::Slice bad("\x01");
    EXPECT_FALSE(assoc->Merge("k", &bad, eb, &fresh, nullptr));
}

TEST(KeyLayout, ByteOrderIsNewestFirstThenInsertionOrder) {
    EXPECT_LT(created_key(2000, 9), created_key(1000, 1));  // newer sorts first
    EXPECT_LT(created_key(1000, 1), created_key(1000, 2));  // same second: by serial
    EXPECT_LT(created_key(INT64_MAX, 1), created_key(0, 1));
    EXPECT_LT(kind_key(1, 0, 5), kind_key(2, 1000, 1));      // kind groups first
    EXPECT_EQ(index_created_at(kind_key(7, 123456, 99)), 123456);
    EXPECT_EQ(trailing_serial(tag_key('e', "x", 5, 77)), 77u);
    EXPECT_LT(serial_key(255), serial_key(256));
    EXPECT_LT(relay_metadata_key("wss://a", 5), relay_metadata_key("wss://a.b", 1));  // URL, then time
}

TEST(KeyLayout, TagHashUsesHexBytesOrAHash) {
    const std::string hex = "0123456789abcdef" + std::string(48, 'f');
    auto h = tag_hash(hex);
    EXPECT_EQ(h[0], 0x01);
    EXPECT_EQ(h[7], 0xef);
    EXPECT_NE(tag_hash("bitcoin"), tag_hash("nostr"));
    EXPECT_EQ(tag_hash("bitcoin"), tag_hash("bitcoin"));
    // Upper-case or non-hex 64-character values are hashed, not decoded.
    std::string upper = hex;
    upper[60] = 'G';
    EXPECT_NE(tag_hash(upper), h);
    EXPECT_TRUE(is_indexable_tag({"e", "x"}));
    EXPECT_FALSE(is_indexable_tag({"e"}));
    EXPECT_FALSE(is_indexable_tag({"ee", "x"}));
    EXPECT_FALSE(is_indexable_tag({"", "x"}));
}

TEST(KeyLayout, KindClassesFollowTheView) {
    EXPECT_EQ(kind_class(1), KindClass::regular);
    EXPECT_EQ(kind_class(44), KindClass::regular);
    EXPECT_EQ(kind_class(45), KindClass::none);
    EXPECT_EQ(kind_class(999), KindClass::none);
    EXPECT_EQ(kind_class(1000), KindClass::regular);
    EXPECT_EQ(kind_class(0), KindClass::replaceable);
    EXPECT_EQ(kind_class(3), KindClass::replaceable);
    EXPECT_EQ(kind_class(19999), KindClass::replaceable);
    EXPECT_EQ(kind_class(20000), KindClass::ephemeral);
    EXPECT_EQ(kind_class(30000), KindClass::addressable);
    EXPECT_EQ(kind_class(39999), KindClass::addressable);
    EXPECT_EQ(kind_class(40000), KindClass::none);
}

TEST(MetadataCodec, RoundTripsAndRefusesCorruptRows) {
    Nip11 d;
    d.name = "n";
    d.extra_fields = R"({"x": 1})";
    d.terms_of_service = "";
    EXPECT_EQ(decode_nip11(encode_nip11(d)), d);
    EXPECT_EQ(decode_nip11(encode_nip11(Nip11{})), Nip11{});
    EXPECT_FALSE(decode_nip11("\x00").has_value());
    EXPECT_FALSE(decode_nip11(std::string("\x80\x00", 2)).has_value());  // a 16th field
    EXPECT_FALSE(decode_nip11(encode_nip11(d) + "x").has_value());

    Nip66 n;
    n.writable = true;
    n.rtt_open = -3;
    n.rtt_write = INT32_MAX;
    EXPECT_EQ(decode_nip66(encode_nip66(n)), n);
    EXPECT_FALSE(decode_nip66("").has_value());
    EXPECT_FALSE(decode_nip66("\x40").has_value());
    EXPECT_FALSE(decode_nip66("\x08").has_value());  // rtt flagged, missing

    SnapshotRefs refs{Bytes32{1}, std::nullopt};
    auto back = decode_snapshot_refs(encode_snapshot_refs(refs));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->nip11_id, refs.nip11_id);
    EXPECT_FALSE(back->nip66_id.has_value());
    EXPECT_FALSE(decode_snapshot_refs("\x03").has_value());
}

}  // namespace
}  // namespace brotr::storage
