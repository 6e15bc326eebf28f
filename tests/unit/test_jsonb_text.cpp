// The canonical jsonb text form. Expected strings are what PostgreSQL 15
// prints for the same input (tests/pg/test_metadata_hash_pg.cpp checks the
// same rules against a running server).
#include <gtest/gtest.h>

#include <string>

#include "model/jsonb_text.hpp"

namespace brotr {
namespace {

TEST(JsonbText, ObjectKeysSortedByLengthThenBytes) {
    EXPECT_EQ(to_jsonb_text(R"({"bb":1,"a":2,"ab":3,"c":4,"":5})"), R"({"": 5, "a": 2, "c": 4, "ab": 3, "bb": 1})");
    EXPECT_EQ(to_jsonb_text(R"({"name":"x","icon":null,"limitation":{}})"),
              R"({"icon": null, "name": "x", "limitation": {}})");
}

TEST(JsonbText, KeyOrderComparesBytesUnsigned) {
    // "é" is two bytes (0xC3 0xA9): longer than "z", and 0xC3 sorts after 'z' among equal lengths.
    EXPECT_EQ(to_jsonb_text(R"({"é":1,"z":2,"zz":3})"), R"({"z": 2, "zz": 3, "é": 1})");
}

TEST(JsonbText, DuplicateKeysKeepTheLastValue) {
    EXPECT_EQ(to_jsonb_text(R"({"a":1,"b":2,"a":3})"), R"({"a": 3, "b": 2})");
    EXPECT_EQ(to_jsonb_text(R"({"a":{"x":1},"a":[1]})"), R"({"a": [1]})");
}

TEST(JsonbText, Separators) {
    EXPECT_EQ(to_jsonb_text(" [ 1 ,2,\n\t[ ],{ } ,\r\"x\" ] "), R"([1, 2, [], {}, "x"])");
    EXPECT_EQ(to_jsonb_text("{}"), "{}");
    EXPECT_EQ(to_jsonb_text("[]"), "[]");
}

TEST(JsonbText, Scalars) {
    EXPECT_EQ(to_jsonb_text("true"), "true");
    EXPECT_EQ(to_jsonb_text("false"), "false");
    EXPECT_EQ(to_jsonb_text(" null "), "null");
    EXPECT_EQ(to_jsonb_text(R"("a")"), R"("a")");
}

TEST(JsonbText, NestedObjectsAreSortedRecursively) {
    EXPECT_EQ(to_jsonb_text(R"({"z":[{"bb":true,"a":false}],"y":{"cc":{"b":1,"a":2}}})"),
              R"({"y": {"cc": {"a": 2, "b": 1}}, "z": [{"a": false, "bb": true}]})");
}

TEST(JsonbText, StringEscapesFollowEscapeJson) {
    EXPECT_EQ(to_jsonb_text(R"("q\" b\\ s\/ \b\f\n\r\t")"), R"("q\" b\\ s/ \b\f\n\r\t")");
    EXPECT_EQ(to_jsonb_text(R"("\u0001\u001F\u001f\u007f")"), "\"\\u0001\\u001f\\u001f\x7f\"");
    EXPECT_EQ(to_jsonb_text(R"("\u00e9\u00E9\u4e2d")"), "\"\xC3\xA9\xC3\xA9\xE4\xB8\xAD\"");
    EXPECT_EQ(to_jsonb_text(R"("\ud83d\ude00")"), "\"\xF0\x9F\x98\x80\"");
    EXPECT_EQ(to_jsonb_text("\"caf\xC3\xA9 \xF0\x9F\x98\x80\""), "\"caf\xC3\xA9 \xF0\x9F\x98\x80\"");
}

TEST(JsonbText, NumbersPrintAsNumeric) {
    EXPECT_EQ(jsonb_number_text("0"), "0");
    EXPECT_EQ(jsonb_number_text("-0"), "0");
    EXPECT_EQ(jsonb_number_text("-0.0"), "0.0");
    EXPECT_EQ(jsonb_number_text("1.50"), "1.50");
    EXPECT_EQ(jsonb_number_text("0.10"), "0.10");
    EXPECT_EQ(jsonb_number_text("1e3"), "1000");
    EXPECT_EQ(jsonb_number_text("1E+2"), "100");
    EXPECT_EQ(jsonb_number_text("1.5e-3"), "0.0015");
    EXPECT_EQ(jsonb_number_text("100e-5"), "0.00100");
    EXPECT_EQ(jsonb_number_text("1.50e1"), "15.0");
    EXPECT_EQ(jsonb_number_text("1.25e1"), "12.5");
    EXPECT_EQ(jsonb_number_text("-1.5E-10"), "-0.00000000015");
    EXPECT_EQ(jsonb_number_text("123.456e-1"), "12.3456");
    EXPECT_EQ(jsonb_number_text("0e5"), "0");
    EXPECT_EQ(jsonb_number_text("0.000e2"), "0.0");
    EXPECT_EQ(jsonb_number_text("-12345678901234567890123456789"), "-12345678901234567890123456789");
    EXPECT_EQ(jsonb_number_text("2147483648"), "2147483648");
    EXPECT_EQ(jsonb_number_text("1e20"), "100000000000000000000");
    EXPECT_EQ(to_jsonb_text("[1.0, -7, 3e0]"), "[1.0, -7, 3]");
}

TEST(JsonbText, NumericRangeLimits) {
    EXPECT_EQ(jsonb_number_text("1e131071").size(), 131072u);
    EXPECT_THROW(jsonb_number_text("1e131072"), JsonbError);
    EXPECT_EQ(jsonb_number_text("1e-16383").size(), 16385u);
    EXPECT_THROW(jsonb_number_text("1e-16384"), JsonbError);
    EXPECT_THROW(jsonb_number_text("0e-20000"), JsonbError);
    EXPECT_THROW(jsonb_number_text("1e99999999999999999999"), JsonbError);
}

TEST(JsonbText, RejectsInvalidJson) {
    for (const char* bad : {"", " ", "{", "[1,]", "[1 2]", "{\"a\"}", "{\"a\":}", "{a:1}", "{\"a\":1,}", "01",
                            "-", "1.", ".5", "1e", "1e+", "+1", "tru", "truex", "nul", "NaN", "Infinity", "'a'",
                            "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\u12g4\"", "[1] [2]", "{} x", "\"a\nb\"",
                            "\"tab\there\"", "[\"a\"]]"}) {
        EXPECT_THROW(to_jsonb_text(bad), JsonbError) << "input: " << bad;
    }
}

TEST(JsonbText, RejectsWhatPostgresTextCannotHold) {
    EXPECT_THROW(to_jsonb_text(R"("\u0000")"), JsonbError);
    EXPECT_THROW(to_jsonb_text(R"("\ud83d")"), JsonbError);          // high surrogate alone
    EXPECT_THROW(to_jsonb_text(R"("\ud83dx")"), JsonbError);
    EXPECT_THROW(to_jsonb_text(R"("\ud83d\u0041")"), JsonbError);    // not followed by a low surrogate
    EXPECT_THROW(to_jsonb_text(R"("\ude00")"), JsonbError);          // low surrogate alone
    EXPECT_THROW(to_jsonb_text("\"\xC3\""), JsonbError);             // truncated sequence
    EXPECT_THROW(to_jsonb_text("\"\xC0\xAF\""), JsonbError);         // overlong
    EXPECT_THROW(to_jsonb_text("\"\xE0\x80\xAF\""), JsonbError);     // overlong
    EXPECT_THROW(to_jsonb_text("\"\xED\xA0\x80\""), JsonbError);     // encoded surrogate
    EXPECT_THROW(to_jsonb_text("\"\xF4\x90\x80\x80\""), JsonbError); // above U+10FFFF
    EXPECT_THROW(to_jsonb_text("\"\xFF\""), JsonbError);
    EXPECT_THROW(to_jsonb_text(std::string("\"a\0b\"", 5)), JsonbError);  // raw NUL is a control character
}

TEST(JsonbText, NestingDepthIsBounded) {
    const std::string ok = std::string(kJsonbMaxDepth, '[') + std::string(kJsonbMaxDepth, ']');
    EXPECT_EQ(to_jsonb_text(ok), ok);
    const std::string deep = std::string(kJsonbMaxDepth + 1, '[') + std::string(kJsonbMaxDepth + 1, ']');
    EXPECT_THROW(to_jsonb_text(deep), JsonbError);
    const std::string huge(1'000'000, '[');  // must fail cleanly, not overflow the stack
    EXPECT_THROW(to_jsonb_text(huge), JsonbError);
}

TEST(JsonbText, CanonicalFormIsAFixedPoint) {
    for (const char* input : {R"({"b":[1.50,{"y":null,"x":"\u00e9\n"}],"a":-0,"aa":1e2})", "[\"\\u001f\", 1e-3]"}) {
        const std::string once = to_jsonb_text(input);
        EXPECT_EQ(to_jsonb_text(once), once);
    }
}

TEST(JsonbText, StringLiteralsFromText) {
    std::string out;
    append_jsonb_string("a\"b\\c\x01\x7f/\xC3\xA9", out);
    EXPECT_EQ(out, "\"a\\\"b\\\\c\\u0001\x7f/\xC3\xA9\"");
    out.clear();
    EXPECT_THROW(append_jsonb_string(std::string("a\0b", 3), out), JsonbError);
    EXPECT_THROW(append_jsonb_string("\xC3(", out), JsonbError);
}

TEST(JsonbObjectBuilder, SortsAndKeepsLastDuplicate) {
    JsonbObjectBuilder b;
    b.add_string("name", "relay");
    b.add_null("icon");
    b.add_bool("x", true);
    b.add_integer("rtt", -5);
    b.add_raw("limitation", to_jsonb_text(R"({"b":1,"a":2})"));
    b.add_integer("x", 7);
    EXPECT_EQ(std::move(b).finish(), R"({"x": 7, "rtt": -5, "icon": null, "name": "relay", "limitation": {"a": 2, "b": 1}})");
}

TEST(JsonbObjectBuilder, RejectsKeysPostgresCannotHold) {
    JsonbObjectBuilder b;
    b.add_null(std::string("a\0", 2));
    EXPECT_THROW(std::move(b).finish(), JsonbError);
}

}  // namespace
}  // namespace brotr
