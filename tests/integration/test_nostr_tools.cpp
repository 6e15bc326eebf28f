// Cross-check against nostr-tools, an independent implementation: the same
// ids and canonical bytes for tricky events in both directions, and
// tampered events rejected by both.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "brotr/event.hpp"
#include "brotr/hex.hpp"
#include "brotr/keys.hpp"
#include "support/test_env.hpp"

namespace brotr {
namespace {

std::vector<std::string> split(const std::string& text, char separator) {
    std::vector<std::string> parts;
    std::string part;
    std::istringstream in(text);
    while (std::getline(in, part, separator)) parts.push_back(part);
    return parts;
}

class NostrTools : public ::testing::Test {
protected:
    void SetUp() override {
        peers_ = test::peers_dir();
        if (!peers_) GTEST_SKIP() << "tests/peers/node_modules is absent (run tools/setup.sh --test)";
        if (test::run_command({"node", "--version"}).exit_code != 0) GTEST_SKIP() << "node is not installed";
    }

    test::CommandOutput run_script(const std::string& script, const std::string& input = {}) {
        auto result = test::run_command({"node", (*peers_ / script).string()}, input);
        EXPECT_EQ(result.exit_code, 0) << script << ": " << result.err;
        return result;
    }

    struct Verdict {
        bool valid = false;
        std::string hash;
    };
    // nostr-tools' verifyEvent and getEventHash for each JSON line.
    std::vector<Verdict> nostr_tools_verify(const std::vector<std::string>& jsons) {
        std::string input;
        for (const auto& j : jsons) input += j + "\n";
        const auto result = run_script("nostr-tools-verify.mjs", input);
        std::vector<Verdict> verdicts;
        for (const auto& line : split(result.out, '\n')) {
            const auto fields = split(line, '\t');
            EXPECT_EQ(fields.size(), 2u) << line;
            EXPECT_NE(fields[0], "error") << line;
            verdicts.push_back({fields[0] == "true", fields.size() > 1 ? fields[1] : ""});
        }
        EXPECT_EQ(verdicts.size(), jsons.size());
        return verdicts;
    }

    std::optional<std::filesystem::path> peers_;
};

struct GeneratedCase {
    std::string name;
    std::string json;
    std::string serialization;  // nostr-tools' serializeEvent output
};

std::vector<GeneratedCase> parse_generated(const std::string& out) {
    std::vector<GeneratedCase> cases;
    for (const auto& line : split(out, '\n')) {
        const auto fields = split(line, '\t');
        EXPECT_EQ(fields.size(), 3u) << line.substr(0, 200);
        if (fields.size() != 3) continue;
        cases.push_back({fields[0], fields[1], nlohmann::json::parse(fields[2]).get<std::string>()});
    }
    return cases;
}

// The events brotr signs for nostr-tools to check: the same kinds of trouble.
std::vector<Event> tricky_events() {
    std::string controls;
    for (int c = 0; c < 0x20; ++c) controls.push_back(static_cast<char>(c));
    std::string long_content;
    while (long_content.size() < 100 * 1024) long_content += "lorem \"ipsum\" \\ dolor\n é 🚀 \t ";
    Tags many_tags;
    for (int i = 0; i < 500; ++i) many_tags.push_back({"t", "tag-" + std::to_string(i), i % 7 == 0 ? "" : "x"});

    std::vector<Event> events(11);
    events[0].content = "hello from brotr";
    events[1].content = "ünïcödé 中文 العربية русский";
    events[1].tags = {{"t", "ünï"}};
    events[2].content = "🚀🤙 👨‍👩‍👧 🇯🇵 𝄞 ❤️";
    events[3].content = controls + "\x7f";
    events[3].tags = {{"x", controls}};
    events[4].content = "she said \"hi\" \\ C:\\dir\\ \\\"";
    events[4].tags = {{"q", "\"", "\\"}};
    events[5].content = "</script> a/b \xe2\x80\xa8 \xe2\x80\xa9 \xef\xbb\xbf";
    events[6].content = "";
    events[7].tags = {{}, {""}, {"e"}};
    events[8].content = long_content;
    events[8].kind = 30023;
    events[9].tags = many_tags;
    events[9].kind = 3;
    events[10].kind = 65535;
    events[10].created_at = 0;
    for (std::size_t i = 0; i < 10; ++i) {
        events[i].created_at = 1700000000 + static_cast<std::int64_t>(i);
        if (events[i].kind == 0) events[i].kind = 1;
    }
    const SecretKey secret = generate_secret_key();
    for (auto& e : events) sign_event(e, secret);
    return events;
}

// The three tamperings: one byte of content, of the id, of the signature.
std::vector<std::string> tampered_jsons(const Event& original) {
    std::vector<std::string> out;
    // Change an ASCII letter (changing part of a UTF-8 sequence would make
    // the text invalid rather than tampered); append one if there is none.
    Event content = original;
    const auto letter = content.content.find_first_of("abcdefghijklmnopqrstuvwxyz");
    if (letter == std::string::npos) {
        content.content += "x";
    } else {
        content.content[letter] = content.content[letter] == 'a' ? 'b' : 'a';
    }
    out.push_back(to_json(content));
    Event id = original;
    id.id[7] ^= 0x10;
    out.push_back(to_json(id));
    Event sig = original;
    sig.sig[40] ^= 0x01;
    out.push_back(to_json(sig));
    return out;
}

TEST_F(NostrTools, EventsSignedByNostrToolsVerifyInBrotr) {
    const auto cases = parse_generated(run_script("nostr-tools-generate.mjs").out);
    ASSERT_GE(cases.size(), 14u);
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        const auto parsed = parse_event(c.json);
        if (c.name == "lone surrogate") {
            // JavaScript strings may hold half a UTF-16 pair; UTF-8 cannot.
            EXPECT_EQ(parsed.error, EventError::invalid_utf8);
            continue;
        }
        ASSERT_EQ(parsed.error, EventError::ok) << parsed.detail;
        const Event& e = *parsed.event;
        EXPECT_EQ(canonical_serialization(e), c.serialization);
        EXPECT_EQ(compute_event_id(e), e.id);
        EXPECT_TRUE(verify_signature(e));
        EXPECT_EQ(check_event(e), EventError::ok);
        EXPECT_EQ(parse_and_check_event(c.json).error, EventError::ok);
        // brotr's own JSON of the event is equivalent and still valid.
        const auto again = parse_and_check_event(to_json(e));
        ASSERT_EQ(again.error, EventError::ok);
        EXPECT_EQ(*again.event, e);
    }
}

TEST_F(NostrTools, EventsSignedByBrotrVerifyInNostrTools) {
    const auto events = tricky_events();
    std::vector<std::string> jsons;
    for (const auto& e : events) jsons.push_back(to_json(e));
    const auto verdicts = nostr_tools_verify(jsons);
    ASSERT_EQ(verdicts.size(), events.size());
    for (std::size_t i = 0; i < events.size(); ++i) {
        EXPECT_TRUE(verdicts[i].valid) << jsons[i].substr(0, 200);
        EXPECT_EQ(verdicts[i].hash, to_hex(events[i].id)) << jsons[i].substr(0, 200);
    }
}

TEST_F(NostrTools, TamperedEventsAreRejectedByBoth) {
    std::vector<Event> originals = tricky_events();
    for (const auto& c : parse_generated(run_script("nostr-tools-generate.mjs").out)) {
        auto parsed = parse_event(c.json);
        if (parsed.event) originals.push_back(*parsed.event);
    }
    std::vector<std::string> tampered;
    for (const auto& e : originals) {
        for (auto& json : tampered_jsons(e)) tampered.push_back(std::move(json));
    }
    const auto verdicts = nostr_tools_verify(tampered);
    ASSERT_EQ(verdicts.size(), tampered.size());
    for (std::size_t i = 0; i < tampered.size(); ++i) {
        SCOPED_TRACE(tampered[i].substr(0, 200));
        EXPECT_FALSE(verdicts[i].valid);
        const auto checked = parse_and_check_event(tampered[i]);
        const EventError expected = i % 3 == 2 ? EventError::invalid_signature : EventError::id_mismatch;
        EXPECT_EQ(checked.error, expected);
        EXPECT_EQ(check_event(*parse_event(tampered[i]).event), expected);
    }
}

}  // namespace
}  // namespace brotr
