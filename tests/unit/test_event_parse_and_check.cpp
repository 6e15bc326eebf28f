// parse_and_check_event hashes the input text directly when it is already
// canonical; these tests make sure it agrees with parse_event + check_event
// on every encoding of an event, canonical or not.
#include <gtest/gtest.h>

#include <random>

#include "brotr/event.hpp"
#include "brotr/keys.hpp"
#include "test_event_fixtures.hpp"

namespace brotr {
namespace {

std::string replace_once(std::string text, const std::string& from, const std::string& to) {
    const auto pos = text.find(from);
    EXPECT_NE(pos, std::string::npos) << from;
    if (pos != std::string::npos) text.replace(pos, from.size(), to);
    return text;
}

TEST(EventParseAndCheck, AcceptsTheFixture) {
    const auto checked = parse_and_check_event(test::kNostrToolsEvent);
    ASSERT_EQ(checked.error, EventError::ok) << checked.detail;
    EXPECT_EQ(*checked.event, *parse_event(test::kNostrToolsEvent).event);
}

TEST(EventParseAndCheck, NonCanonicalEncodingsOfAValidEventAreValid) {
    const std::string& json = test::kNostrToolsEvent;
    const std::vector<std::string> encodings = {
        replace_once(json, "[[\"e\",", "[ [\"e\", "),                  // whitespace inside tags
        replace_once(json, "\"nostr\"]]", "\"nostr\"]\n]"),             // newline before the closing bracket
        replace_once(json, "wss://relay", "wss:\\/\\/relay"),           // escaped slashes in a tag
        replace_once(json, "hello", "h\\u0065llo"),                     // escaped letter in content
        replace_once(json, "\\u0001", "\\u0001"),                       // canonical escape, unchanged
        replace_once(json, "\\n", "\\u000a"),                           // long form of a short escape
        replace_once(json, "\\u0001", "\\u0001 \\u001F") ,              // upper-case hex (content changes)
        replace_once(json, "\"content\":", "\"content\" : "),           // whitespace around content
        replace_once(json, "\"tags\":", "\"tags\":\t"),
    };
    for (std::size_t i = 0; i < encodings.size(); ++i) {
        const auto separate = parse_event(encodings[i]);
        ASSERT_EQ(separate.error, EventError::ok) << encodings[i];
        const EventError expected = check_event(*separate.event);
        const auto checked = parse_and_check_event(encodings[i]);
        EXPECT_EQ(checked.error, expected) << encodings[i];
        if (i != 6) {
            EXPECT_EQ(checked.error, EventError::ok) << encodings[i];  // same values, same id
        } else {
            EXPECT_EQ(checked.error, EventError::id_mismatch);  // different content
        }
    }
}

TEST(EventParseAndCheck, TamperingIsCaught) {
    const std::string& json = test::kNostrToolsEvent;
    EXPECT_EQ(parse_and_check_event(replace_once(json, "hello", "hellO")).error, EventError::id_mismatch);
    EXPECT_EQ(parse_and_check_event(replace_once(json, "1700000000", "1700000001")).error, EventError::id_mismatch);
    EXPECT_EQ(parse_and_check_event(replace_once(json, "\"kind\":1", "\"kind\":2")).error, EventError::id_mismatch);
    EXPECT_EQ(parse_and_check_event(replace_once(json, "\"nostr\"", "\"nostR\"")).error, EventError::id_mismatch);
    EXPECT_EQ(parse_and_check_event(replace_once(json, "\"id\":\"813b", "\"id\":\"913b")).error,
              EventError::id_mismatch);
    EXPECT_EQ(parse_and_check_event(replace_once(json, "\"sig\":\"9914", "\"sig\":\"9915")).error,
              EventError::invalid_signature);
    const auto bad = parse_and_check_event(replace_once(json, "\"kind\":1", "\"kind\":-1"));
    EXPECT_EQ(bad.error, EventError::bad_kind);
    EXPECT_FALSE(bad.event.has_value());
    EXPECT_EQ(parse_and_check_event(json + "x").error, EventError::malformed_json);
}

TEST(EventParseAndCheck, AgreesWithSeparateCheckOnRandomEvents) {
    std::mt19937 rng(99);
    const SecretKey secret = generate_secret_key();
    const std::vector<std::string> pieces = {"a", " ", "\"", "\\", "/", "\n", "\t", std::string(1, '\x01'),
                                             "\x7f", "é", "🚀", "\xe2\x80\xa8", "text "};
    for (int i = 0; i < 200; ++i) {
        Event e;
        e.kind = static_cast<std::uint16_t>(rng());
        e.created_at = rng();
        for (unsigned n = rng() % 40; n > 0; --n) e.content += pieces[rng() % pieces.size()];
        for (unsigned t = rng() % 4; t > 0; --t) e.tags.push_back({"t", pieces[rng() % pieces.size()]});
        sign_event(e, secret);
        const std::string json = to_json(e);
        const auto checked = parse_and_check_event(json);
        ASSERT_EQ(checked.error, EventError::ok) << json;
        EXPECT_EQ(*checked.event, e);

        // Any change to a hashed value is caught.
        Event changed = e;
        changed.content += "!";
        std::string forged = to_json(changed);
        EXPECT_EQ(parse_and_check_event(forged).error, EventError::id_mismatch);
    }
}

}  // namespace
}  // namespace brotr
