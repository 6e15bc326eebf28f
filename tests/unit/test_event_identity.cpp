// scan_event_identity(): the id and sig of a valid event text, and nothing
// for any text that parse_event() would refuse for its syntax, its shape or a
// missing or repeated field.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "brotr/event.hpp"
#include "test_event_fixtures.hpp"

namespace brotr {
namespace {

const std::string kEvent = test::kNostrToolsEvent;

// kEvent with the first occurrence of `from` replaced by `to`.
std::string edited(const std::string& from, const std::string& to) {
    std::string s = kEvent;
    const auto at = s.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return s.replace(at, from.size(), to);
}

TEST(EventIdentity, IsTheIdAndSigTheParserReads) {
    const auto parsed = parse_event(kEvent);
    ASSERT_TRUE(parsed.event.has_value());
    const auto identity = scan_event_identity(kEvent);
    ASSERT_TRUE(identity.has_value());
    EXPECT_EQ(identity->id, parsed.event->id);
    EXPECT_EQ(identity->sig, parsed.event->sig);
}

TEST(EventIdentity, AllowsWhitespaceAndUnknownFields) {
    const Event e = *parse_event(kEvent).event;
    for (const std::string& text : {" {\n \"seen_on\" : [1, {\"a\": null}] ,\t" + kEvent.substr(1) + " \r\n",
                                    edited("{\"kind\":1,", "{ \"kind\" : 1 , \"x\":\"\\u00e9\",")}) {
        const auto identity = scan_event_identity(text);
        ASSERT_TRUE(identity.has_value()) << text;
        EXPECT_EQ(identity->id, e.id);
        EXPECT_EQ(identity->sig, e.sig);
    }
}

TEST(EventIdentity, RefusesWhatTheParserRefusesForSyntaxShapeOrFields) {
    const std::vector<std::string> refused = {
        "",
        "not json",
        "[1,2,3]",
        "{}",
        kEvent + "x",                                   // trailing garbage
        kEvent.substr(0, kEvent.size() - 1),            // truncated
        edited("\"kind\":1", "\"kind\":1,\"kind\":1"),  // duplicate field
        edited("\"kind\":1", "\"x\":1,\"x\":2,\"kind\":1"),  // duplicate unknown field
        edited("\"kind\":1,", ""),                      // missing field
        edited("\"kind\":1", "\"kind\":\"1\""),         // wrong JSON type
        edited("\"tags\":[", "\"tags\":\"x\",\"t2\":["),       // tags not an array
        edited("\"content\":\"", "\"content\":1,\"c2\":\""),    // content not a string
        edited("\"pubkey\":\"", "\"pubkey\":1,\"p2\":\""),      // pubkey not a string
        edited("\"id\":\"813b", "\"id\":\"813B"),       // upper-case hex
        edited("\"sig\":\"9914", "\"sig\":\"991"),      // short sig
        edited("hello", "hel\xff\x01lo"),               // invalid UTF-8 in a skipped value
        edited("hello", "hel\nlo"),                     // raw control character
    };
    for (const auto& text : refused) {
        EXPECT_FALSE(scan_event_identity(text).has_value()) << text;
        EXPECT_NE(parse_event(text).error, EventError::ok) << text;
    }
}

TEST(EventIdentity, LeavesKeysWithEscapesToTheParser) {
    const std::string escaped = edited("\"id\":\"", "\"\\u0069d\":\"");
    EXPECT_FALSE(scan_event_identity(escaped).has_value());
    EXPECT_EQ(parse_event(escaped).error, EventError::ok);
}

TEST(EventIdentity, DoesNotCheckValuesInsideFieldsTheIdCovers) {
    // A tag element that is not a string, or a kind out of range: the parser
    // refuses them, the scan does not look (same id and sig as a stored event
    // is that event; an unstored one is parsed in full anyway).
    const std::string bad_tag = edited("[\"t\",\"nostr\"]", "[\"t\",1]");
    EXPECT_EQ(parse_event(bad_tag).error, EventError::bad_tags);
    EXPECT_TRUE(scan_event_identity(bad_tag).has_value());
    const std::string big_kind = edited("\"kind\":1", "\"kind\":70000");
    EXPECT_EQ(parse_event(big_kind).error, EventError::bad_kind);
    EXPECT_TRUE(scan_event_identity(big_kind).has_value());
}

}  // namespace
}  // namespace brotr
