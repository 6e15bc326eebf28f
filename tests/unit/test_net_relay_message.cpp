// Parsing of relay-to-client messages from untrusted text.
#include <gtest/gtest.h>

#include "net/json_cursor.hpp"
#include "net/relay_message.hpp"

using brotr::net::FrameError;
using brotr::net::parse_relay_message;
using brotr::net::RelayMessage;
using brotr::net::RelayMessageType;

namespace {

RelayMessage parse_ok(std::string_view frame) {
    RelayMessage m;
    EXPECT_EQ(parse_relay_message(frame, m), FrameError::none) << frame;
    return m;
}

FrameError error_of(std::string_view frame) {
    RelayMessage m;
    return parse_relay_message(frame, m);
}

TEST(RelayMessage, EventHandsOnTheExactObjectText) {
    const std::string object = R"({"id":"ab","tags":[["e","x"]],"content":"a \"quoted\" ] } text"})";
    const std::string frame = "[\"EVENT\", \"sub-1\" ,\n" + object + " ]";
    RelayMessage m = parse_ok(frame);
    EXPECT_EQ(m.type, RelayMessageType::event);
    EXPECT_EQ(m.subscription_id, "sub-1");
    EXPECT_EQ(m.event_json, object);
}

TEST(RelayMessage, EachKnownType) {
    RelayMessage eose = parse_ok(R"(["EOSE","s"])");
    EXPECT_EQ(eose.type, RelayMessageType::eose);
    EXPECT_EQ(eose.subscription_id, "s");

    RelayMessage closed = parse_ok(R"(["CLOSED","s","auth-required: sign in"])");
    EXPECT_EQ(closed.type, RelayMessageType::closed);
    EXPECT_EQ(closed.text, "auth-required: sign in");
    EXPECT_EQ(parse_ok(R"(["CLOSED","s"])").text, "");

    RelayMessage notice = parse_ok(R"(["NOTICE","line\nbreak \u00e9 \ud83d\ude00"])");
    EXPECT_EQ(notice.type, RelayMessageType::notice);
    EXPECT_EQ(notice.text, "line\nbreak \xc3\xa9 \xf0\x9f\x98\x80");

    RelayMessage ok = parse_ok(R"(["OK","e1",false,"blocked: no"])");
    EXPECT_EQ(ok.type, RelayMessageType::ok);
    EXPECT_EQ(ok.event_id, "e1");
    EXPECT_FALSE(ok.accepted);
    EXPECT_EQ(ok.text, "blocked: no");
    RelayMessage ok_bare = parse_ok(R"(["OK","e2",true])");
    EXPECT_TRUE(ok_bare.accepted);
    EXPECT_EQ(ok_bare.text, "");

    RelayMessage auth = parse_ok(R"(["AUTH","challenge-123"])");
    EXPECT_EQ(auth.type, RelayMessageType::auth);
    EXPECT_EQ(auth.text, "challenge-123");

    EXPECT_EQ(parse_ok(R"(["COUNT","s",{"count":3}])").type, RelayMessageType::count);
}

TEST(RelayMessage, ExtraWellFormedElementsAreTolerated) {
    EXPECT_EQ(parse_ok(R"(["EOSE","s",{"future":[1,2.5e3,null]}])").subscription_id, "s");
    EXPECT_EQ(parse_ok(R"(["OK","e",true,"",{"x":1}])").event_id, "e");
}

TEST(RelayMessage, MalformedJsonIsNotJson) {
    for (std::string_view frame : {"", "   ", "not json", "[", "[\"EOSE\"", "[\"EOSE\",\"s\"", "[\"EOSE\",\"s\"]]",
                                   "[\"EOSE\",\"s\"] x", "{\"EOSE\":1}", "[\"EOSE\",\"s\",]",
                                   "[\"EVENT\",\"s\",{\"a\":1]", "[\"EVENT\",\"s\",{\"a\" 1}]",
                                   "[\"NOTICE\",\"bad \\x escape\"]", "[\"NOTICE\",\"raw\ncontrol\"]",
                                   "[\"NOTICE\",\"unterminated]", "[\"EOSE\",\"s\",01]", "[\"EOSE\",\"s\",-]",
                                   "[\"EOSE\",\"s\",1.]", "[\"EOSE\",\"s\",tru]", "[\"NOTICE\",\"\\u12\"]"}) {
        EXPECT_EQ(error_of(frame), FrameError::not_json) << frame;
    }
}

TEST(RelayMessage, WrongArgumentsAreBadArguments) {
    for (std::string_view frame : {"[\"EVENT\",\"s\"]", "[\"EVENT\",\"s\",42]", "[\"EVENT\",\"s\",[1]]",
                                   "[\"EVENT\",7,{}]", "[\"EOSE\"]", "[\"EOSE\",1]", "[\"CLOSED\",\"s\",5]",
                                   "[\"NOTICE\"]", "[\"OK\",\"e\"]", "[\"OK\",\"e\",\"true\"]", "[\"OK\",\"e\",1]",
                                   "[\"AUTH\",{}]"}) {
        EXPECT_EQ(error_of(frame), FrameError::bad_arguments) << frame;
    }
}

TEST(RelayMessage, UnknownTypes) {
    EXPECT_EQ(error_of(R"(["HELLO","s"])"), FrameError::unknown_type);
    EXPECT_EQ(error_of(R"(["event","s",{}])"), FrameError::unknown_type);  // types are case-sensitive
    EXPECT_EQ(error_of(R"([42])"), FrameError::unknown_type);
    EXPECT_EQ(error_of(R"([])"), FrameError::not_json) << "an empty array has no type";
    EXPECT_EQ(error_of(R"(["HELLO",)"), FrameError::not_json);
}

TEST(RelayMessage, DeepNestingIsRefusedNotRecursedInto) {
    std::string deep = "[\"EOSE\",\"s\",";
    for (int i = 0; i < 100000; ++i) deep += "[";
    for (int i = 0; i < 100000; ++i) deep += "]";
    deep += "]";
    EXPECT_EQ(error_of(deep), FrameError::not_json);
    std::string fine = "[\"EOSE\",\"s\"," + std::string(30, '[') + std::string(30, ']') + "]";
    EXPECT_EQ(error_of(fine), FrameError::none);
}

TEST(RelayMessage, LoneSurrogatesBecomeReplacementCharacters) {
    EXPECT_EQ(parse_ok(R"(["NOTICE","a\ud800b"])").text, "a\xef\xbf\xbd" "b");
    EXPECT_EQ(parse_ok(R"(["NOTICE","\udc00"])").text, "\xef\xbf\xbd");
    EXPECT_EQ(parse_ok(R"(["NOTICE","\ud800\u0041"])").text, "\xef\xbf\xbd" "A");
}

TEST(JsonString, AppendEscapesQuotesBackslashesAndControls) {
    std::string out;
    brotr::net::json::append_string(out, std::string("a\"b\\c\n\t\x01\x1f/\xc3\xa9", 12));
    EXPECT_EQ(out, "\"a\\\"b\\\\c\\n\\t\\u0001\\u001f/\xc3\xa9\"");
    // What is appended reads back as the original.
    brotr::net::json::Cursor in(out);
    std::string back;
    ASSERT_TRUE(in.read_string(back));
    EXPECT_EQ(back, std::string("a\"b\\c\n\t\x01\x1f/\xc3\xa9", 12));
}

}  // namespace
