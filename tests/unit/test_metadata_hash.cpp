// NIP-11 / NIP-66 content ids: the hashed text and how the ids react to the
// values. Equality with PostgreSQL itself is proven in tests/pg.
#include <gtest/gtest.h>
#include <openssl/sha.h>

#include <string>

#include "brotr/hex.hpp"
#include "brotr/metadata.hpp"
#include "model/jsonb_text.hpp"
#include "model/metadata_hash.hpp"

namespace brotr {
namespace {

std::string sha256_hex(const std::string& text) {
    Bytes32 digest{};
    SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest.data());
    return to_hex(digest);
}

TEST(Nip66Hash, TextHasColumnKeysInJsonbOrder) {
    Nip66 result;
    result.openable = true;
    result.rtt_open = 120;
    EXPECT_EQ(nip66_hash_text(result),
              R"({"openable": true, "readable": false, "rtt_open": 120, "rtt_read": null, "writable": false, )"
              R"("rtt_write": null})");
    EXPECT_EQ(to_hex(compute_nip66_id(result)), sha256_hex(nip66_hash_text(result)));
}

TEST(Nip66Hash, EveryFieldChangesTheId) {
    const Nip66 base{true, true, false, 10, 20, std::nullopt};
    const auto id = compute_nip66_id(base);
    Nip66 v = base;
    v.openable = false;
    EXPECT_NE(compute_nip66_id(v), id);
    v = base;
    v.readable = false;
    EXPECT_NE(compute_nip66_id(v), id);
    v = base;
    v.writable = true;
    EXPECT_NE(compute_nip66_id(v), id);
    v = base;
    v.rtt_open = 11;
    EXPECT_NE(compute_nip66_id(v), id);
    v = base;
    v.rtt_read = std::nullopt;
    EXPECT_NE(compute_nip66_id(v), id);
    v = base;
    v.rtt_write = 0;
    EXPECT_NE(compute_nip66_id(v), id);
    EXPECT_EQ(compute_nip66_id(Nip66(base)), id);
}

TEST(Nip11Hash, AllNullDocument) {
    EXPECT_EQ(nip11_hash_text(Nip11{}),
              R"({"icon": null, "name": null, "banner": null, "pubkey": null, "contact": null, "version": null, )"
              R"("software": null, "limitation": null, "description": null, "extra_fields": null, )"
              R"("privacy_policy": null, "supported_nips": null, "terms_of_service": null})");
}

TEST(Nip11Hash, TextAndJsonFields) {
    Nip11 doc;
    doc.name = "Relay \"one\"\n";
    doc.supported_nips = "[1,  11, 50]";
    doc.limitation = R"({"max_message_length":16384,"auth_required":false})";
    doc.extra_fields = "{}";
    const std::string text = nip11_hash_text(doc);
    EXPECT_NE(text.find(R"("name": "Relay \"one\"\n")"), std::string::npos) << text;
    EXPECT_NE(text.find(R"("supported_nips": [1, 11, 50])"), std::string::npos) << text;
    EXPECT_NE(text.find(R"("limitation": {"auth_required": false, "max_message_length": 16384})"), std::string::npos)
        << text;
    EXPECT_NE(text.find(R"("extra_fields": {})"), std::string::npos) << text;
    EXPECT_EQ(to_hex(compute_nip11_id(doc)), sha256_hex(text));
}

TEST(Nip11Hash, JsonFormattingDoesNotChangeTheId) {
    Nip11 a, b;
    a.limitation = R"({"b":1,"a":[1.50, 2]})";
    b.limitation = " {\n \"a\" : [ 1.50 ,2 ] , \"b\" : 1 } ";
    EXPECT_EQ(compute_nip11_id(a), compute_nip11_id(b));
    b.limitation = R"({"a":[1.5,2],"b":1})";  // 1.5 and 1.50 are different numerics in jsonb text
    EXPECT_NE(compute_nip11_id(a), compute_nip11_id(b));
}

TEST(Nip11Hash, NullAndEmptyStringDiffer) {
    Nip11 a, b;
    b.name = "";
    EXPECT_NE(compute_nip11_id(a), compute_nip11_id(b));
    Nip11 c;
    c.description = "";
    EXPECT_NE(compute_nip11_id(b), compute_nip11_id(c));  // the key matters, not only the value
}

TEST(Nip11Hash, ValuesPostgresRefusesThrow) {
    Nip11 doc;
    doc.name = std::string("a\0b", 3);
    EXPECT_THROW(compute_nip11_id(doc), JsonbError);
    doc = Nip11{};
    doc.contact = "\xFF";
    EXPECT_THROW(compute_nip11_id(doc), JsonbError);
    doc = Nip11{};
    doc.supported_nips = "[1,2";
    EXPECT_THROW(compute_nip11_id(doc), JsonbError);
    doc = Nip11{};
    doc.extra_fields = R"({"x":"\u0000"})";
    EXPECT_THROW(compute_nip11_id(doc), JsonbError);
}

}  // namespace
}  // namespace brotr
