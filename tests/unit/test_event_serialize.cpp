// Canonical serialization (the bytes the id hashes) and JSON output.
#include <gtest/gtest.h>

#include <random>

#include "brotr/event.hpp"
#include "brotr/hex.hpp"
#include "test_event_fixtures.hpp"

namespace brotr {
namespace {

Event fixture_event() {
    auto parsed = parse_event(test::kNostrToolsEvent);
    EXPECT_EQ(parsed.error, EventError::ok);
    return *parsed.event;
}

TEST(EventSerialize, CanonicalFormOfTheFixture) {
    EXPECT_EQ(canonical_serialization(fixture_event()),
              "[0,\"06df44c37a99b83a71ecb5884714b1174f63563c842e2ff98a64b1538e2f6fba\",1700000000,1,"
              "[[\"e\",\"5c83da77af1dec6d7289834998ad7aafbd9e2191396d75ec3cc27f5a77226f36\","
              "\"wss://relay.example.com\"],[\"t\",\"nostr\"]],"
              "\"hello \\\"world\\\" \\\\ \\n\\t\\u0001 ünïcödé 🚀\"]");
}

TEST(EventSerialize, AppendKeepsWhatIsThere) {
    std::string out = "prefix";
    append_canonical_serialization(fixture_event(), out);
    EXPECT_EQ(out, "prefix" + canonical_serialization(fixture_event()));
}

TEST(EventSerialize, EscapesLikeJsonStringify) {
    Event e;
    std::string content;
    for (int c = 0; c < 0x20; ++c) content.push_back(static_cast<char>(c));
    content += "\"\\/\x7f\xe2\x80\xa8é";
    e.content = content;
    e.tags = {{"\n", "\x1f"}, {}};
    EXPECT_EQ(canonical_serialization(e),
              "[0,\"0000000000000000000000000000000000000000000000000000000000000000\",0,0,"
              "[[\"\\n\",\"\\u001f\"],[]],"
              "\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r\\u000e\\u000f"
              "\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001a\\u001b\\u001c"
              "\\u001d\\u001e\\u001f\\\"\\\\/\x7f\xe2\x80\xa8é\"]");
}

TEST(EventSerialize, LargeNumbers) {
    Event e;
    e.created_at = INT64_MAX;
    e.kind = 65535;
    const std::string s = canonical_serialization(e);
    EXPECT_NE(s.find(",9223372036854775807,65535,[],\"\"]"), std::string::npos) << s;
}

TEST(EventSerialize, JsonOutputHasAllFieldsInOrder) {
    const Event e = fixture_event();
    const std::string json = to_json(e);
    EXPECT_EQ(json.rfind("{\"id\":\"813be683", 0), 0u) << json;
    const auto pos = [&](const char* key) { return json.find(key); };
    EXPECT_LT(pos("\"id\""), pos("\"pubkey\""));
    EXPECT_LT(pos("\"pubkey\""), pos("\"created_at\":1700000000"));
    EXPECT_LT(pos("\"created_at\""), pos("\"kind\":1"));
    EXPECT_LT(pos("\"kind\""), pos("\"tags\":[["));
    EXPECT_LT(pos("\"tags\""), pos("\"content\":\"hello"));
    EXPECT_LT(pos("\"content\""), pos("\"sig\":\"9914b3ce"));
    EXPECT_EQ(json.back(), '}');
}

TEST(EventSerialize, JsonRoundTripsTheFixture) {
    const Event e = fixture_event();
    const auto again = parse_event(to_json(e));
    ASSERT_EQ(again.error, EventError::ok) << again.detail;
    EXPECT_EQ(*again.event, e);
    std::string appended = "x";
    append_json(e, appended);
    EXPECT_EQ(appended, "x" + to_json(e));
}

// Random valid UTF-8 text mixing every kind of character that needs care.
std::string random_text(std::mt19937& rng, std::size_t length) {
    static const std::vector<std::string> pieces = {
        "a", "Z", " ", "\"", "\\", "/", "\n", "\r", "\t", "\b", "\f", std::string(1, '\0'), "\x01", "\x1f",
        "\x7f", "é", "€", "中", "🚀", "𝄞", "\xe2\x80\xa8", "\xef\xbf\xbf", "\xf4\x8f\xbf\xbf", "plain ascii run "};
    std::string out;
    std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1);
    while (out.size() < length) out += pieces[pick(rng)];
    return out;
}

TEST(EventSerialize, RandomUnicodeContentAndTagsRoundTrip) {
    std::mt19937 rng(12345);
    for (int i = 0; i < 300; ++i) {
        Event e;
        for (auto& b : e.id) b = static_cast<std::uint8_t>(rng());
        for (auto& b : e.pubkey) b = static_cast<std::uint8_t>(rng());
        for (auto& b : e.sig) b = static_cast<std::uint8_t>(rng());
        e.created_at = static_cast<std::int64_t>(rng());
        e.kind = static_cast<std::uint16_t>(rng());
        e.content = random_text(rng, rng() % 400);
        for (unsigned t = 0; t < rng() % 6; ++t) {
            Tag tag;
            for (unsigned v = 0; v < rng() % 4; ++v) tag.push_back(random_text(rng, rng() % 30));
            e.tags.push_back(tag);
        }
        const auto parsed = parse_event(to_json(e));
        ASSERT_EQ(parsed.error, EventError::ok) << parsed.detail;
        EXPECT_EQ(*parsed.event, e);
    }
}

TEST(EventSerialize, MegabyteContentRoundTrips) {
    std::mt19937 rng(7);
    Event e;
    e.content = random_text(rng, 1 << 20);
    e.tags = {{"t", std::string(100000, 'x')}};
    const std::string json = to_json(e);
    const auto parsed = parse_event(json);
    ASSERT_EQ(parsed.error, EventError::ok) << parsed.detail;
    EXPECT_EQ(parsed.event->content, e.content);
    EXPECT_EQ(*parsed.event, e);
    EXPECT_EQ(canonical_serialization(*parsed.event), canonical_serialization(e));
}

}  // namespace
}  // namespace brotr
