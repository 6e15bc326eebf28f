// Strict parsing of untrusted event JSON: every malformed input gets its
// specific error, every valid form (escapes, unicode, unknown fields,
// whitespace) parses to the right values.
#include <gtest/gtest.h>

#include <set>
#include <utility>
#include <vector>

#include "brotr/event.hpp"
#include "brotr/hex.hpp"
#include "test_event_fixtures.hpp"

namespace brotr {
namespace {

using Members = std::vector<std::pair<std::string, std::string>>;  // name, raw JSON value

Members valid_members() {
    return {
        {"id", R"("813be683d6cb8d95a96ace40c8c6eb8c97b87cfa63ee7dcfb82d6c5b59da3265")"},
        {"pubkey", R"("06df44c37a99b83a71ecb5884714b1174f63563c842e2ff98a64b1538e2f6fba")"},
        {"created_at", "1700000000"},
        {"kind", "1"},
        {"tags", R"([["t","nostr"]])"},
        {"content", R"("hi")"},
        {"sig",
         R"("9914b3ce5827c96687b6816dab9734f658066718079408b21241e8b64821064e91d0471fbfe7f57800d3baf2b742afbbfd2edc651cd10aadb7efabd419df6b81")"},
    };
}

std::string object_json(const Members& members) {
    std::string out = "{";
    for (const auto& [name, value] : members) {
        if (out.size() > 1) out += ",";
        out += "\"" + name + "\":" + value;
    }
    return out + "}";
}

// The valid event with one member's raw value replaced.
std::string with_member(const std::string& name, const std::string& raw) {
    Members members = valid_members();
    for (auto& m : members) {
        if (m.first == name) m.second = raw;
    }
    return object_json(members);
}

std::string without_member(const std::string& name) {
    Members members;
    for (auto& m : valid_members()) {
        if (m.first != name) members.push_back(m);
    }
    return object_json(members);
}

EventError error_of(const std::string& json) { return parse_event(json).error; }

TEST(EventParse, ParsesAllFields) {
    const auto parsed = parse_event(test::kNostrToolsEvent);
    ASSERT_EQ(parsed.error, EventError::ok) << parsed.detail;
    ASSERT_TRUE(parsed.event.has_value());
    const Event& e = *parsed.event;
    EXPECT_EQ(to_hex(e.id), "813be683d6cb8d95a96ace40c8c6eb8c97b87cfa63ee7dcfb82d6c5b59da3265");
    EXPECT_EQ(to_hex(e.pubkey), "06df44c37a99b83a71ecb5884714b1174f63563c842e2ff98a64b1538e2f6fba");
    EXPECT_EQ(to_hex(e.sig).substr(0, 8), "9914b3ce");
    EXPECT_EQ(e.created_at, 1700000000);
    EXPECT_EQ(e.kind, 1);
    ASSERT_EQ(e.tags.size(), 2u);
    EXPECT_EQ(e.tags[0], (Tag{"e", "5c83da77af1dec6d7289834998ad7aafbd9e2191396d75ec3cc27f5a77226f36",
                              "wss://relay.example.com"}));
    EXPECT_EQ(e.tags[1], (Tag{"t", "nostr"}));
    EXPECT_EQ(e.content, "hello \"world\" \\ \n\t\x01 ünïcödé 🚀");
    EXPECT_TRUE(parsed.detail.empty());
}

TEST(EventParse, NotJsonIsMalformed) {
    for (const std::string& text : std::vector<std::string>{"", " ", "{", "}", "{\"id\"", "nope", "{\"id\":}", "{,}", "{\"a\":1,}",
                                   "{\"a\" 1}", "{'a':1}", "\xef\xbb\xbf{}"}) {
        const auto parsed = parse_event(text);
        EXPECT_EQ(parsed.error, EventError::malformed_json) << text;
        EXPECT_FALSE(parsed.event.has_value());
        EXPECT_NE(parsed.detail.find("at byte"), std::string::npos) << parsed.detail;
    }
}

TEST(EventParse, OtherJsonValuesAreNotObjects) {
    for (const std::string& text : std::vector<std::string>{"[]", "[1,{\"a\":2}]", "\"event\"", "null", "true", "false", "42", "-1.5e3",
                                   " [ ] \n"}) {
        EXPECT_EQ(error_of(text), EventError::not_an_object) << text;
    }
}

TEST(EventParse, TrailingGarbageIsMalformed) {
    const std::string valid = object_json(valid_members());
    EXPECT_EQ(error_of(valid), EventError::ok);
    EXPECT_EQ(error_of(valid + " \n\t\r"), EventError::ok);
    EXPECT_EQ(error_of(" \n" + valid), EventError::ok);
    EXPECT_EQ(error_of(valid + "x"), EventError::malformed_json);
    EXPECT_EQ(error_of(valid + "{}"), EventError::malformed_json);
    EXPECT_EQ(error_of(valid + ","), EventError::malformed_json);
    EXPECT_EQ(error_of(valid + std::string(1, '\0')), EventError::malformed_json);
    const auto parsed = parse_event(valid + " 1");
    EXPECT_NE(parsed.detail.find("after the event"), std::string::npos) << parsed.detail;
}

TEST(EventParse, WhitespaceBetweenTokensIsAllowed) {
    const std::string spaced =
        " {\n \"id\" : \"813be683d6cb8d95a96ace40c8c6eb8c97b87cfa63ee7dcfb82d6c5b59da3265\" ,\r\n"
        "\t\"pubkey\":\"06df44c37a99b83a71ecb5884714b1174f63563c842e2ff98a64b1538e2f6fba\",\"created_at\" :  5 ,"
        "\"kind\": 7 , \"tags\" : [ [ \"a\" , \"b\" ] , [ ] ] , \"content\" : \"x\" , \"sig\" : "
        "\"9914b3ce5827c96687b6816dab9734f658066718079408b21241e8b64821064e91d0471fbfe7f57800d3baf2b742afbbfd2edc65"
        "1cd10aadb7efabd419df6b81\" } ";
    const auto parsed = parse_event(spaced);
    ASSERT_EQ(parsed.error, EventError::ok) << parsed.detail;
    EXPECT_EQ(parsed.event->created_at, 5);
    EXPECT_EQ(parsed.event->kind, 7);
    EXPECT_EQ(parsed.event->tags, (Tags{{"a", "b"}, {}}));
}

TEST(EventParse, MissingFieldsAreNamed) {
    for (const auto& [name, value] : valid_members()) {
        const auto parsed = parse_event(without_member(name));
        EXPECT_EQ(parsed.error, EventError::missing_field) << name;
        EXPECT_NE(parsed.detail.find("\"" + name + "\""), std::string::npos) << parsed.detail;
    }
    EXPECT_EQ(error_of("{}"), EventError::missing_field);
}

TEST(EventParse, DuplicateFieldsAreRejected) {
    Members members = valid_members();
    members.emplace_back("kind", "1");
    EXPECT_EQ(error_of(object_json(members)), EventError::duplicate_field);

    members = valid_members();
    members.emplace_back("extra", "1");
    members.emplace_back("extra", "\"2\"");
    EXPECT_EQ(error_of(object_json(members)), EventError::duplicate_field);

    // A key spelled with an escape is the same key.
    members = valid_members();
    members.emplace_back("\\u0069d", R"("813be683d6cb8d95a96ace40c8c6eb8c97b87cfa63ee7dcfb82d6c5b59da3265")");
    const auto parsed = parse_event(object_json(members));
    EXPECT_EQ(parsed.error, EventError::duplicate_field);
    EXPECT_NE(parsed.detail.find("\"id\""), std::string::npos) << parsed.detail;
}

TEST(EventParse, EscapedKeyIsRecognised) {
    Members members;
    for (auto& m : valid_members()) members.emplace_back(m.first == "kind" ? "k\\u0069nd" : m.first, m.second);
    EXPECT_EQ(error_of(object_json(members)), EventError::ok);
}

TEST(EventParse, BadHexFields) {
    const std::string id = "813be683d6cb8d95a96ace40c8c6eb8c97b87cfa63ee7dcfb82d6c5b59da3265";
    const std::string upper_id = "813BE683D6CB8D95A96ACE40C8C6EB8C97B87CFA63EE7DCFB82D6C5B59DA3265";
    for (const std::string& raw : std::vector<std::string>{"\"" + upper_id + "\"", "\"" + id.substr(1) + "\"", "\"" + id + "0\"",
                                  "\"\"", "\"" + id.substr(0, 63) + "g\"", "1", "null", "[\"" + id + "\"]"}) {
        EXPECT_EQ(error_of(with_member("id", raw)), EventError::bad_id) << raw;
        EXPECT_EQ(error_of(with_member("pubkey", raw)), EventError::bad_pubkey) << raw;
    }
    const std::string sig = id + id;
    for (const std::string& raw : std::vector<std::string>{"\"" + sig.substr(1) + "\"", "\"" + upper_id + upper_id + "\"",
                                  "\"" + id + "\"", "false", "{}"}) {
        EXPECT_EQ(error_of(with_member("sig", raw)), EventError::bad_sig) << raw;
    }
    EXPECT_NE(parse_event(with_member("id", "\"abc\"")).detail.find("3 characters"), std::string::npos);
}

TEST(EventParse, HexWithEscapesDecodesFirst) {
    // "\u0038" is "8": JSON says the strings are equal.
    const auto parsed =
        parse_event(with_member("id", R"("\u003813be683d6cb8d95a96ace40c8c6eb8c97b87cfa63ee7dcfb82d6c5b59da3265")"));
    ASSERT_EQ(parsed.error, EventError::ok) << parsed.detail;
    EXPECT_EQ(to_hex(parsed.event->id), "813be683d6cb8d95a96ace40c8c6eb8c97b87cfa63ee7dcfb82d6c5b59da3265");
}

TEST(EventParse, CreatedAt) {
    for (const std::string& raw : std::vector<std::string>{"-1", "1.5", "1.0", "1e9", "1E2", "\"1700000000\"", "null", "true", "[1]",
                                  "9223372036854775808", "18446744073709551616", "99999999999999999999999", "-0"}) {
        EXPECT_EQ(error_of(with_member("created_at", raw)), EventError::bad_created_at) << raw;
    }
    for (const auto& [raw, value] : std::vector<std::pair<std::string, std::int64_t>>{
             {"0", 0}, {"1", 1}, {"9223372036854775807", INT64_MAX}}) {
        const auto parsed = parse_event(with_member("created_at", raw));
        ASSERT_EQ(parsed.error, EventError::ok) << raw;
        EXPECT_EQ(parsed.event->created_at, value);
    }
    for (const std::string& raw : std::vector<std::string>{"01", "1.", ".5", "-", "+1", "1e", "0x10", "Infinity", "NaN"}) {
        EXPECT_EQ(error_of(with_member("created_at", raw)), EventError::malformed_json) << raw;
    }
}

TEST(EventParse, Kind) {
    for (const std::string& raw : std::vector<std::string>{"65536", "-1", "1.0", "1e0", "\"1\"", "null", "{}", "4294967297",
                                  "18446744073709551617"}) {
        EXPECT_EQ(error_of(with_member("kind", raw)), EventError::bad_kind) << raw;
    }
    for (const auto& [raw, value] :
         std::vector<std::pair<std::string, int>>{{"0", 0}, {"65535", 65535}, {"30023", 30023}}) {
        const auto parsed = parse_event(with_member("kind", raw));
        ASSERT_EQ(parsed.error, EventError::ok) << raw;
        EXPECT_EQ(parsed.event->kind, value);
    }
    EXPECT_EQ(error_of(with_member("kind", "007")), EventError::malformed_json);
}

TEST(EventParse, Tags) {
    for (const std::string& raw : std::vector<std::string>{"{}", "\"t\"", "null", "[1]", "[\"t\"]", "[[\"a\",1]]", "[[\"a\",[\"b\"]]]",
                                  "[[\"a\"],null]", "[[null]]", "[[\"a\",{\"b\":1}]]"}) {
        EXPECT_EQ(error_of(with_member("tags", raw)), EventError::bad_tags) << raw;
    }
    const auto parsed = parse_event(with_member("tags", R"([[],["a"],["p","x","y","z"],[""]])"));
    ASSERT_EQ(parsed.error, EventError::ok) << parsed.detail;
    EXPECT_EQ(parsed.event->tags, (Tags{{}, {"a"}, {"p", "x", "y", "z"}, {""}}));
    EXPECT_EQ(error_of(with_member("tags", "[]")), EventError::ok);
    EXPECT_EQ(error_of(with_member("tags", "[[\"a\",]]")), EventError::malformed_json);
    EXPECT_EQ(error_of(with_member("tags", "[[\"a\"]")), EventError::malformed_json);
    EXPECT_NE(parse_event(with_member("tags", "[[\"a\"],[\"b\",2]]")).detail.find("element 1 of tag 1"),
              std::string::npos);
}

TEST(EventParse, Content) {
    for (const std::string& raw : std::vector<std::string>{"1", "null", "[\"x\"]", "{\"a\":\"b\"}", "false"}) {
        EXPECT_EQ(error_of(with_member("content", raw)), EventError::bad_content) << raw;
    }
    const auto parsed = parse_event(with_member("content", "\"\""));
    ASSERT_EQ(parsed.error, EventError::ok);
    EXPECT_EQ(parsed.event->content, "");
}

TEST(EventParse, EveryEscapeDecodes) {
    const auto parsed = parse_event(
        with_member("content", R"("\" \\ \/ \b \f \n \r \t \u0000 \u001F \u00e9 \u20AC \ud83d\ude80 \uD834\uDD1E")"));
    ASSERT_EQ(parsed.error, EventError::ok) << parsed.detail;
    EXPECT_EQ(parsed.event->content,
              std::string("\" \\ / \b \f \n \r \t ") + std::string(1, '\0') + " \x1f é € 🚀 𝄞");
}

TEST(EventParse, BadEscapesAreMalformed) {
    for (const std::string& raw : std::vector<std::string>{R"("\x")", R"("\u12G4")", R"("\u123")", R"("\)", R"("\U0041")", R"("\'")",
                                  R"("\u")"}) {
        EXPECT_EQ(error_of(with_member("content", raw)), EventError::malformed_json) << raw;
    }
}

TEST(EventParse, UnpairedSurrogateEscapesAreInvalidUnicode) {
    for (const std::string& raw : std::vector<std::string>{R"("\ud800")", R"("\udc00")", R"("\ud83d x")", R"("\ud83d\u0041")",
                                  R"("\ude80\ud83d")", R"("\ud83d\ud83d")"}) {
        EXPECT_EQ(error_of(with_member("content", raw)), EventError::invalid_utf8) << raw;
    }
}

TEST(EventParse, RawControlCharactersAreMalformed) {
    for (char c : {'\0', '\n', '\t', '\x1f'}) {
        EXPECT_EQ(error_of(with_member("content", std::string("\"a") + c + "b\"")), EventError::malformed_json);
    }
    // DEL is not a control character for JSON.
    EXPECT_EQ(error_of(with_member("content", "\"a\x7f\"")), EventError::ok);
}

TEST(EventParse, InvalidUtf8IsRejectedEverywhere) {
    const std::vector<std::string> bad = {
        "\xff",              // never valid
        "\x80",              // continuation without a lead
        "\xc0\xaf",          // overlong '/'
        "\xc1\xbf",          // overlong
        "\xe0\x80\xaf",      // overlong 3-byte
        "\xf0\x80\x80\xaf",  // overlong 4-byte
        "\xed\xa0\x80",      // UTF-16 surrogate encoded
        "\xf4\x90\x80\x80",  // above U+10FFFF
        "\xf5\x80\x80\x80",  // lead above f4
        "\xe2\x82",          // truncated before the quote
        "\xe2\x82x",         // truncated mid-string
        "ok \xc3",           // truncated at the end
    };
    for (const auto& bytes : bad) {
        const std::string quoted = "\"" + bytes + "\"";
        EXPECT_EQ(error_of(with_member("content", quoted)), EventError::invalid_utf8) << quoted;
        EXPECT_EQ(error_of(with_member("tags", "[[\"t\"," + quoted + "]]")), EventError::invalid_utf8);
        Members members = valid_members();
        members.emplace_back("extra", "{\"k\":[" + quoted + "]}");
        EXPECT_EQ(error_of(object_json(members)), EventError::invalid_utf8);
        members = valid_members();
        members.emplace_back(bytes, "1");
        EXPECT_EQ(error_of(object_json(members)), EventError::invalid_utf8);
    }
}

TEST(EventParse, ValidUtf8Boundaries) {
    const std::string text = "\xc2\x80 \xdf\xbf \xe0\xa0\x80 \xed\x9f\xbf \xee\x80\x80 \xef\xbf\xbf "
                             "\xf0\x90\x80\x80 \xf4\x8f\xbf\xbf";
    const auto parsed = parse_event(with_member("content", "\"" + text + "\""));
    ASSERT_EQ(parsed.error, EventError::ok) << parsed.detail;
    EXPECT_EQ(parsed.event->content, text);
}

TEST(EventParse, UnknownFieldsOfAnyTypeAreSkipped) {
    Members members;
    members.emplace_back("first", R"({"a":[1,2.5,-3e-7,{"b":null}],"c":true,"d":"\u00e9\n"})");
    for (auto& m : valid_members()) members.push_back(m);
    members.emplace_back("n", "-0.5E+10");
    members.emplace_back("s", "\"x\"");
    members.emplace_back("t", "true");
    members.emplace_back("f", "false");
    members.emplace_back("z", "null");
    members.emplace_back("e", "[]");
    members.emplace_back("o", "{}");
    const auto parsed = parse_event(object_json(members));
    ASSERT_EQ(parsed.error, EventError::ok) << parsed.detail;
    EXPECT_EQ(parsed.event->content, "hi");
}

TEST(EventParse, MalformedUnknownFieldsAreMalformed) {
    for (const std::string& raw : std::vector<std::string>{"tru", "nul", "[1,]", "{\"a\"}", "{\"a\":1,}", "[1 2]", "01", "{1:2}",
                                  "\"open", "-"}) {
        Members members = valid_members();
        members.emplace_back("extra", raw);
        EXPECT_EQ(error_of(object_json(members)), EventError::malformed_json) << raw;
    }
}

TEST(EventParse, DeepNestingIsBoundedNotACrash) {
    Members members = valid_members();
    members.emplace_back("deep", std::string(100, '[') + std::string(100, ']'));
    EXPECT_EQ(error_of(object_json(members)), EventError::ok);
    members.back().second = std::string(100000, '[') + std::string(100000, ']');
    EXPECT_EQ(error_of(object_json(members)), EventError::malformed_json);
    EXPECT_EQ(error_of(std::string(100000, '[')), EventError::malformed_json);
}

TEST(EventParse, ManyUnknownFieldsStayCheap) {
    // Duplicate detection must not be quadratic in the number of fields.
    Members members = valid_members();
    for (int i = 0; i < 100000; ++i) members.emplace_back("x" + std::to_string(i), "0");
    EXPECT_EQ(error_of(object_json(members)), EventError::ok);
    members.emplace_back("x99999x", "1");
    members.emplace_back("x99999x", "1");
    EXPECT_EQ(error_of(object_json(members)), EventError::duplicate_field);
}

TEST(EventParse, SyntaxErrorAfterAFieldErrorIsMalformed) {
    // A wrong-typed kind is only the answer when the whole text is JSON.
    EXPECT_EQ(error_of(with_member("kind", "\"1\"")), EventError::bad_kind);
    EXPECT_EQ(error_of(with_member("kind", "\"1\"") + "x"), EventError::malformed_json);
    std::string broken = with_member("kind", "\"1\"");
    broken.pop_back();
    EXPECT_EQ(error_of(broken), EventError::malformed_json);
}

TEST(EventParse, FirstFieldErrorWins) {
    Members members = valid_members();
    members[3].second = "-1";    // kind
    members[5].second = "null";  // content
    EXPECT_EQ(error_of(object_json(members)), EventError::bad_kind);
}

TEST(EventParse, TruncatedPrefixesNeverParse) {
    const std::string& full = test::kNostrToolsEvent;
    for (std::size_t n = 0; n < full.size(); ++n) {
        const auto parsed = parse_event(std::string_view(full).substr(0, n));
        EXPECT_NE(parsed.error, EventError::ok) << n;
        EXPECT_FALSE(parsed.event.has_value());
    }
}

TEST(EventErrorNames, AreDistinctAndDescribed) {
    std::set<std::string_view> names;
    for (std::size_t i = 0; i < kEventErrorCount; ++i) {
        const auto e = static_cast<EventError>(i);
        EXPECT_NE(to_string(e), "unknown");
        EXPECT_FALSE(describe(e).empty());
        names.insert(to_string(e));
    }
    EXPECT_EQ(names.size(), kEventErrorCount);
    EXPECT_EQ(to_string(EventError::bad_kind), "bad_kind");
    EXPECT_EQ(describe(EventError::bad_kind), "kind must be an integer between 0 and 65535");
}

}  // namespace
}  // namespace brotr
