#include "net/client_message.hpp"

#include "net/json_cursor.hpp"

namespace brotr::net {

std::string req_message(std::string_view subscription_id, std::span<const Filter> filters) {
    std::string out = "[\"REQ\",";
    json::append_string(out, subscription_id);
    for (const auto& f : filters) {
        out.push_back(',');
        out += to_json(f);
    }
    out.push_back(']');
    return out;
}

std::string close_message(std::string_view subscription_id) {
    std::string out = "[\"CLOSE\",";
    json::append_string(out, subscription_id);
    out.push_back(']');
    return out;
}

std::string event_message(const Event& event) {
    std::string out = "[\"EVENT\",";
    append_json(event, out);
    out.push_back(']');
    return out;
}

std::string auth_message(const Event& signed_auth_event) {
    std::string out = "[\"AUTH\",";
    append_json(signed_auth_event, out);
    out.push_back(']');
    return out;
}

Event auth_event_template(const RelayUrl& relay, std::string_view challenge, std::int64_t now) {
    Event e;
    e.kind = 22242;
    e.created_at = now;
    e.tags = {{"relay", relay.str()}, {"challenge", std::string(challenge)}};
    return e;
}

}  // namespace brotr::net
