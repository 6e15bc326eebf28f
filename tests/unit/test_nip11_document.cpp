// NIP-11 documents as the monitor stores them: field typing, extra_fields,
// and refusal of bodies that are not JSON objects PostgreSQL could hold.
#include <gtest/gtest.h>

#include <string>

#include "brotr/metadata.hpp"
#include "services/nip11_document.hpp"

namespace brotr::services {
namespace {

Nip11 parse_ok(const std::string& body) {
    Nip11ParseResult r = parse_nip11_document(body);
    EXPECT_TRUE(r.document.has_value()) << r.error;
    return r.document ? r.document->fields : Nip11{};
}

TEST(Nip11Document, KnownFieldsAreTyped) {
    Nip11 doc = parse_ok(R"({"name":"Relay","description":"d","banner":"https://b","icon":"https://i",
        "pubkey":"ab","contact":"mailto:x","software":"git+https://s","version":"1.2",
        "privacy_policy":"https://p","terms_of_service":"https://t",
        "supported_nips":[1, 11, "42"],"limitation":{"max_limit":500,"auth_required":false}})");
    EXPECT_EQ(doc.name, "Relay");
    EXPECT_EQ(doc.description, "d");
    EXPECT_EQ(doc.banner, "https://b");
    EXPECT_EQ(doc.icon, "https://i");
    EXPECT_EQ(doc.pubkey, "ab");
    EXPECT_EQ(doc.contact, "mailto:x");
    EXPECT_EQ(doc.software, "git+https://s");
    EXPECT_EQ(doc.version, "1.2");
    EXPECT_EQ(doc.privacy_policy, "https://p");
    EXPECT_EQ(doc.terms_of_service, "https://t");
    EXPECT_EQ(doc.supported_nips, R"([1, 11, "42"])");
    // jsonb order: keys by length, then bytes.
    EXPECT_EQ(doc.limitation, R"({"max_limit": 500, "auth_required": false})");
    EXPECT_EQ(doc.extra_fields, "{}");
}

TEST(Nip11Document, WrongTypesBecomeNull) {
    Nip11 doc = parse_ok(R"({"name":42,"description":null,"banner":["x"],"icon":{"a":1},"pubkey":true,
        "software":1.5,"supported_nips":"1,2","limitation":[1,2]})");
    EXPECT_FALSE(doc.name);
    EXPECT_FALSE(doc.description);
    EXPECT_FALSE(doc.banner);
    EXPECT_FALSE(doc.icon);
    EXPECT_FALSE(doc.pubkey);
    EXPECT_FALSE(doc.software);
    EXPECT_FALSE(doc.supported_nips);
    EXPECT_FALSE(doc.limitation);
    // Known keys never spill into extra_fields, whatever their type.
    EXPECT_EQ(doc.extra_fields, "{}");
}

TEST(Nip11Document, SupportedNipsMustHoldOnlyIntegersAndStrings) {
    EXPECT_FALSE(parse_ok(R"({"supported_nips":[1,{"x":2}]})").supported_nips);
    EXPECT_FALSE(parse_ok(R"({"supported_nips":[1,null]})").supported_nips);
    EXPECT_FALSE(parse_ok(R"({"supported_nips":[1,2.5]})").supported_nips);
    EXPECT_FALSE(parse_ok(R"({"supported_nips":[[1]]})").supported_nips);
    EXPECT_EQ(parse_ok(R"({"supported_nips":[]})").supported_nips, "[]");
    EXPECT_EQ(parse_ok(R"({"supported_nips":["a", 2]})").supported_nips, R"(["a", 2])");
}

TEST(Nip11Document, OtherKeysGoToExtraFieldsCanonically) {
    Nip11 doc = parse_ok(R"({"name":"n","retention":[{"time":3600}],"fees":{"admission":[{"amount":1.50}]},
        "relay_countries":["CA"],"posting_policy":"https://x","payments_url":null})");
    EXPECT_EQ(doc.name, "n");
    EXPECT_EQ(doc.extra_fields,
              R"({"fees": {"admission": [{"amount": 1.50}]}, "retention": [{"time": 3600}], )"
              R"("payments_url": null, "posting_policy": "https://x", "relay_countries": ["CA"]})");
}

TEST(Nip11Document, RepeatedKeyKeepsItsLastValue) {
    Nip11 doc = parse_ok(R"({"name":"first","x":1,"name":"second","x":2})");
    EXPECT_EQ(doc.name, "second");
    EXPECT_EQ(doc.extra_fields, R"({"x": 2})");
}

TEST(Nip11Document, StringEscapesAreDecoded) {
    Nip11 doc = parse_ok(R"({"name":"a\"b\\c\u00e9\n","description":"tab\there"})");
    EXPECT_EQ(doc.name, "a\"b\\c\xc3\xa9\n");
    EXPECT_EQ(doc.description, "tab\there");
}

TEST(Nip11Document, EmptyObjectIsADocument) {
    Nip11 doc = parse_ok("  {}  ");
    EXPECT_FALSE(doc.name);
    EXPECT_EQ(doc.extra_fields, "{}");
}

TEST(Nip11Document, NonObjectsAndBrokenJsonAreRefused) {
    for (const char* body : {"", "[]", "[{\"name\":\"x\"}]", "\"name\"", "42", "null", "true", "{", "{\"name\":}",
                             "{\"name\":\"x\"} trailing", "<html>relay</html>", "{'name':'x'}"}) {
        Nip11ParseResult r = parse_nip11_document(body);
        EXPECT_FALSE(r.document) << body;
        EXPECT_FALSE(r.error.empty()) << body;
    }
}

TEST(Nip11Document, TextPostgresCannotHoldIsRefused) {
    EXPECT_FALSE(parse_nip11_document(R"({"name":"a\u0000b"})").document);
    EXPECT_FALSE(parse_nip11_document("{\"name\":\"\xff\xfe\"}").document);
    EXPECT_FALSE(parse_nip11_document(R"({"name":"\ud800"})").document);
}

TEST(Nip11Document, DeepNestingInExtraFieldsIsKeptWithinJsonbLimits) {
    std::string deep = std::string(500, '[') + std::string(500, ']');
    Nip11 doc = parse_ok("{\"deep\":" + deep + ",\"name\":\"n\"}");
    EXPECT_EQ(doc.name, "n");
    ASSERT_TRUE(doc.extra_fields);
    EXPECT_EQ(doc.extra_fields->size(), std::string("{\"deep\": ").size() + 1000 + 1);

    std::string too_deep = std::string(5000, '[') + std::string(5000, ']');
    EXPECT_FALSE(parse_nip11_document("{\"deep\":" + too_deep + "}").document);
}

TEST(Nip11Document, ResultHashesLikePostgres) {
    // The stored form must be accepted by the content hash (which refuses what PostgreSQL refuses).
    Nip11 doc = parse_ok(R"({"name":"n","supported_nips":[1,"2"],"limitation":{"a":1e2},"z":{"b":[true]}})");
    EXPECT_EQ(doc.limitation, R"({"a": 100})");
    EXPECT_NO_THROW(compute_nip11_id(doc));
}

TEST(Nip11Document, MinPowDifficulty) {
    auto pow = [](const std::string& limitation) {
        return min_pow_difficulty(parse_ok("{\"limitation\":" + limitation + "}"));
    };
    EXPECT_EQ(pow(R"({"min_pow_difficulty":16})"), 16);
    EXPECT_EQ(pow(R"({"min_pow_difficulty":0})"), 0);
    EXPECT_EQ(pow(R"({"min_pow_difficulty":256})"), 256);
    EXPECT_EQ(pow(R"({"min_pow_difficulty":1e1})"), 10);  // jsonb prints 10: an integer
    EXPECT_FALSE(pow(R"({"min_pow_difficulty":257})"));
    EXPECT_FALSE(pow(R"({"min_pow_difficulty":-1})"));
    EXPECT_FALSE(pow(R"({"min_pow_difficulty":16.5})"));
    EXPECT_FALSE(pow(R"({"min_pow_difficulty":"16"})"));
    EXPECT_FALSE(pow(R"({"min_pow_difficulty":null})"));
    EXPECT_FALSE(pow(R"({"max_limit":16})"));
    EXPECT_FALSE(pow(R"({"min_pow_difficulty":99999999999999999999999})"));
    EXPECT_FALSE(min_pow_difficulty(parse_ok(R"({"min_pow_difficulty":16})")));  // not under limitation
}

TEST(Nip11Document, SupportedNipNumbers) {
    EXPECT_EQ(supported_nip_numbers(parse_ok(R"({"supported_nips":[1,"11",1,"x",-3,42]})")),
              (std::vector<int>{1, 11, 42}));
    EXPECT_TRUE(supported_nip_numbers(parse_ok(R"({"supported_nips":"1"})")).empty());
    EXPECT_TRUE(supported_nip_numbers(parse_ok("{}")).empty());
}

TEST(Nip11Document, CanonicalJsonIsKept) {
    Nip11ParseResult r = parse_nip11_document(R"({ "name" : "n" , "b":[1,2] })");
    ASSERT_TRUE(r.document);
    EXPECT_EQ(r.document->canonical_json, R"({"b": [1, 2], "name": "n"})");
}

}  // namespace
}  // namespace brotr::services
