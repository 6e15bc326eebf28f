#include "net/relay_message.hpp"

#include "net/json_cursor.hpp"

namespace brotr::net {

std::string_view to_string(FrameError e) {
    switch (e) {
        case FrameError::none: return "none";
        case FrameError::not_json: return "not_json";
        case FrameError::unknown_type: return "unknown_type";
        case FrameError::bad_arguments: return "bad_arguments";
    }
    return "unknown";
}

namespace {

// The rest of the array after the known elements: more well-formed values,
// then ']' and nothing else.
FrameError finish(json::Cursor& in) {
    while (in.eat(',')) {
        if (!in.skip_value()) return FrameError::not_json;
    }
    if (!in.eat(']') || !in.at_end()) return FrameError::not_json;
    return FrameError::none;
}

// The next element must be a string, but a malformed one is a JSON error.
FrameError expect_string(json::Cursor& in, std::string& out) {
    if (!in.eat(',')) return in.peek() == ']' ? FrameError::bad_arguments : FrameError::not_json;
    if (in.peek() != '"') return in.skip_value() ? FrameError::bad_arguments : FrameError::not_json;
    return in.read_string(out) ? FrameError::none : FrameError::not_json;
}

// An optional trailing message string.
FrameError optional_string(json::Cursor& in, std::string& out) {
    out.clear();
    if (in.peek() == ']') return FrameError::none;
    return expect_string(in, out);
}

}  // namespace

FrameError parse_relay_message(std::string_view frame, RelayMessage& out) {
    json::Cursor in(frame);
    out.subscription_id.clear();
    out.event_json = {};
    out.text.clear();
    out.event_id.clear();
    out.accepted = false;

    if (!in.eat('[')) return FrameError::not_json;
    std::string type;
    if (in.peek() != '"') return in.skip_value() ? FrameError::unknown_type : FrameError::not_json;
    if (!in.read_string(type)) return FrameError::not_json;

    FrameError e = FrameError::none;
    if (type == "EVENT") {
        out.type = RelayMessageType::event;
        if ((e = expect_string(in, out.subscription_id)) != FrameError::none) return e;
        if (!in.eat(',')) return FrameError::bad_arguments;
        bool is_object = in.peek() == '{';
        if (!in.read_raw(out.event_json)) return FrameError::not_json;
        if (!is_object) return FrameError::bad_arguments;
    } else if (type == "EOSE") {
        out.type = RelayMessageType::eose;
        if ((e = expect_string(in, out.subscription_id)) != FrameError::none) return e;
    } else if (type == "CLOSED") {
        out.type = RelayMessageType::closed;
        if ((e = expect_string(in, out.subscription_id)) != FrameError::none) return e;
        if ((e = optional_string(in, out.text)) != FrameError::none) return e;
    } else if (type == "NOTICE") {
        out.type = RelayMessageType::notice;
        if ((e = expect_string(in, out.text)) != FrameError::none) return e;
    } else if (type == "OK") {
        out.type = RelayMessageType::ok;
        if ((e = expect_string(in, out.event_id)) != FrameError::none) return e;
        if (!in.eat(',')) return FrameError::bad_arguments;
        if (!in.read_bool(out.accepted)) return in.skip_value() ? FrameError::bad_arguments : FrameError::not_json;
        if ((e = optional_string(in, out.text)) != FrameError::none) return e;
    } else if (type == "AUTH") {
        out.type = RelayMessageType::auth;
        if ((e = expect_string(in, out.text)) != FrameError::none) return e;
    } else if (type == "COUNT") {
        out.type = RelayMessageType::count;
        if ((e = expect_string(in, out.subscription_id)) != FrameError::none) return e;
    } else {
        // Still a JSON error if the rest is malformed.
        e = finish(in);
        return e == FrameError::none ? FrameError::unknown_type : e;
    }
    return finish(in);
}

}  // namespace brotr::net
