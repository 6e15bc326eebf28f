// `brotr verify` run as a child process: per-line verdicts on stdout and the
// exit status scripts rely on.
#include <gtest/gtest.h>

#include <sstream>

#include "brotr/event.hpp"
#include "brotr/keys.hpp"
#include "support/test_env.hpp"

namespace brotr {
namespace {

using test::run_command;

std::string signed_event_json(const std::string& content, std::uint16_t kind = 1) {
    static const SecretKey secret = generate_secret_key();
    Event e;
    e.created_at = 1700000000;
    e.kind = kind;
    e.tags = {{"t", "verify"}};
    e.content = content;
    sign_event(e, secret);
    return to_json(e);
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

test::CommandOutput verify(const std::string& input, std::vector<std::string> extra_args = {}) {
    std::vector<std::string> argv = {test::brotr_bin().string(), "verify"};
    argv.insert(argv.end(), extra_args.begin(), extra_args.end());
    return run_command(argv, input);
}

TEST(VerifyCommand, AllValidExitsZero) {
    const std::string input = signed_event_json("one") + "\n" + signed_event_json("two \"quoted\" ✓") + "\n" +
                              signed_event_json(std::string(1 << 20, 'x')) + "\n";
    const auto result = verify(input);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(lines_of(result.out), (std::vector<std::string>{"ok", "ok", "ok"}));
    EXPECT_NE(result.err.find("3 events, 3 valid, 0 invalid"), std::string::npos) << result.err;
}

TEST(VerifyCommand, EachInvalidLineSaysWhy) {
    const std::string good = signed_event_json("good");
    std::string tampered_content = good;
    tampered_content.replace(tampered_content.find("\"good\""), 6, "\"g00d\"");
    std::string tampered_sig = good;
    const auto sig_pos = tampered_sig.find("\"sig\":\"") + 7;
    tampered_sig[sig_pos] = tampered_sig[sig_pos] == '0' ? '1' : '0';
    std::string bad_kind = good;
    bad_kind.replace(bad_kind.find("\"kind\":1"), 8, "\"kind\":70000");

    const std::string input = good + "\n" + tampered_content + "\n" + tampered_sig + "\n" + bad_kind + "\n" +
                              "not json\n" + "[1,2]\n" + "{\"id\":\"00\"}\n";
    const auto result = verify(input);
    EXPECT_EQ(result.exit_code, 1);
    const auto lines = lines_of(result.out);
    ASSERT_EQ(lines.size(), 7u) << result.out;
    EXPECT_EQ(lines[0], "ok");
    EXPECT_EQ(lines[1], "invalid: id_mismatch: id is not the SHA-256 of the canonical serialization");
    EXPECT_EQ(lines[2], "invalid: invalid_signature: the signature does not verify for pubkey");
    EXPECT_EQ(lines[3].rfind("invalid: bad_kind: kind must be an integer between 0 and 65535", 0), 0u) << lines[3];
    EXPECT_EQ(lines[4].rfind("invalid: malformed_json: ", 0), 0u) << lines[4];
    EXPECT_EQ(lines[5], "invalid: not_an_object: the event must be a JSON object");
    EXPECT_EQ(lines[6].rfind("invalid: bad_id: ", 0), 0u) << lines[6];
    EXPECT_NE(result.err.find("7 events, 1 valid, 6 invalid"), std::string::npos) << result.err;
}

TEST(VerifyCommand, BlankLinesAndCrlfAreTolerated) {
    const std::string input = "\n" + signed_event_json("a") + "\r\n  \n\r\n" + signed_event_json("b");  // no final newline
    const auto result = verify(input);
    EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
    EXPECT_EQ(lines_of(result.out), (std::vector<std::string>{"ok", "ok"}));
}

TEST(VerifyCommand, EmptyInputIsAllValid) {
    const auto result = verify("");
    EXPECT_EQ(result.exit_code, 0);
    EXPECT_EQ(result.out, "");
}

TEST(VerifyCommand, LineNumbersAndInvalidOnly) {
    const std::string input = signed_event_json("a") + "\n\n{}\n" + signed_event_json("b") + "\n";
    const auto numbered = verify(input, {"--line-numbers"});
    EXPECT_EQ(numbered.exit_code, 1);
    const auto lines = lines_of(numbered.out);
    ASSERT_EQ(lines.size(), 3u) << numbered.out;
    EXPECT_EQ(lines[0], "1: ok");
    EXPECT_EQ(lines[1].rfind("3: invalid: missing_field: ", 0), 0u) << lines[1];
    EXPECT_EQ(lines[2], "4: ok");

    const auto only = verify(input, {"-n", "--invalid-only"});
    EXPECT_EQ(only.exit_code, 1);
    ASSERT_EQ(lines_of(only.out).size(), 1u) << only.out;
    EXPECT_EQ(lines_of(only.out)[0].rfind("3: invalid: missing_field", 0), 0u);
}

TEST(VerifyCommand, InvalidUtf8LineIsReported) {
    const auto result = verify("{\"content\":\"\xff\"}\n");
    EXPECT_EQ(result.exit_code, 1);
    EXPECT_EQ(result.out.rfind("invalid: invalid_utf8: ", 0), 0u) << result.out;
}

TEST(VerifyCommand, HelpWorks) {
    const auto result = run_command({test::brotr_bin().string(), "verify", "--help"});
    EXPECT_EQ(result.exit_code, 0);
    EXPECT_NE(result.out.find("JSONL"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("--line-numbers"), std::string::npos) << result.out;

    const auto top = run_command({test::brotr_bin().string(), "--help"});
    EXPECT_EQ(top.exit_code, 0);
    EXPECT_NE(top.out.find("verify"), std::string::npos) << top.out;
}

TEST(VerifyCommand, UsageErrorsExitTwo) {
    EXPECT_EQ(verify("", {"--no-such-option"}).exit_code, 2);
    EXPECT_EQ(verify("", {"events.jsonl"}).exit_code, 2);
    const auto result = verify(signed_event_json("x") + "\n", {"--line-numbers=maybe"});
    EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
    EXPECT_EQ(result.out, "");
}

}  // namespace
}  // namespace brotr
