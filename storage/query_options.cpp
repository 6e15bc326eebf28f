#include "storage/query_options.hpp"

#include <charconv>
#include <stdexcept>

#include "brotr/hex.hpp"

namespace brotr::storage {

namespace {

Bytes32 parse_key(const std::string& option, const std::string& text) {
    auto bytes = parse_hex_array<32>(text);
    if (!bytes) throw std::invalid_argument(option + ": '" + text + "' is not 64 lower-case hex characters");
    return *bytes;
}

}  // namespace

Filter build_query(const QueryOptions& o) {
    Filter q;
    if (!o.ids.empty()) q.ids.emplace();
    for (const auto& id : o.ids) q.ids->push_back(parse_key("--ids", id));
    if (!o.authors.empty()) q.authors.emplace();
    for (const auto& a : o.authors) q.authors->push_back(parse_key("--authors", a));
    if (!o.kinds.empty()) q.kinds.emplace();
    for (const auto& k : o.kinds) {
        unsigned value = 0;
        auto [end, ec] = std::from_chars(k.data(), k.data() + k.size(), value);
        if (ec != std::errc() || end != k.data() + k.size() || value > 65535)
            throw std::invalid_argument("--kinds: '" + k + "' is not a kind (0..65535)");
        q.kinds->push_back(static_cast<std::uint16_t>(value));
    }
    for (const auto& t : o.tags) {
        auto eq = t.find('=');
        if (eq != 1 || !((t[0] >= 'a' && t[0] <= 'z') || (t[0] >= 'A' && t[0] <= 'Z')))
            throw std::invalid_argument("--tag: '" + t + "' is not <letter>=<value> (for example e=<event id>)");
        q.tags[t[0]].push_back(t.substr(2));
    }
    if (o.since && *o.since < 0) throw std::invalid_argument("--since: must not be negative");
    if (o.until && *o.until < 0) throw std::invalid_argument("--until: must not be negative");
    q.since = o.since;
    q.until = o.until;
    q.limit = o.limit;
    return q;
}

}  // namespace brotr::storage
