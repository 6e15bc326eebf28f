#include "api/request_target.hpp"

#include <algorithm>
#include <charconv>

#include "api/api_error.hpp"
#include "brotr/hex.hpp"

namespace brotr::api {

namespace {

std::string percent_decode(std::string_view s, bool plus_is_space, const std::string& what) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '%') {
            const int hi = i + 2 < s.size() ? hex_digit_value(s[i + 1]) : -1;
            const int lo = i + 2 < s.size() ? hex_digit_value(s[i + 2]) : -1;
            if (hi < 0 || lo < 0) throw ApiError(400, "bad percent escape in the " + what);
            c = static_cast<char>(hi * 16 + lo);
            i += 2;
        } else if (c == '+' && plus_is_space) {
            c = ' ';
        }
        if (c == '\0') throw ApiError(400, "NUL character in the " + what);
        out.push_back(c);
    }
    return out;
}

}  // namespace

RequestTarget parse_request_target(std::string_view target) {
    if (target.empty() || target.front() != '/') throw ApiError(400, "the request target must start with '/'");
    RequestTarget out;
    const std::size_t question = target.find('?');
    std::string_view path = target.substr(0, question);
    std::string_view query = question == std::string_view::npos ? std::string_view{} : target.substr(question + 1);
    if (const std::size_t hash = query.find('#'); hash != std::string_view::npos) query = query.substr(0, hash);

    path.remove_prefix(1);
    while (!path.empty()) {
        const std::size_t slash = path.find('/');
        std::string_view segment = path.substr(0, slash);
        if (!segment.empty()) out.segments.push_back(percent_decode(segment, false, "path"));
        if (slash == std::string_view::npos) break;
        path.remove_prefix(slash + 1);
    }
    while (!query.empty()) {
        const std::size_t amp = query.find('&');
        std::string_view pair = query.substr(0, amp);
        if (!pair.empty()) {
            const std::size_t eq = pair.find('=');
            std::string name = percent_decode(pair.substr(0, eq), true, "query");
            std::string value = eq == std::string_view::npos ? std::string{}
                                                              : percent_decode(pair.substr(eq + 1), true, "query");
            out.params.emplace_back(std::move(name), std::move(value));
        }
        if (amp == std::string_view::npos) break;
        query.remove_prefix(amp + 1);
    }
    return out;
}

std::optional<std::string> QueryParams::single(std::string_view name) {
    known_.emplace_back(name);
    std::optional<std::string> found;
    for (const auto& [n, v] : params_) {
        if (n != name) continue;
        if (found) throw bad_param(std::string(name), "given more than once");
        found = v;
    }
    return found;
}

std::vector<std::string> QueryParams::list(std::string_view name) {
    known_.emplace_back(name);
    std::vector<std::string> out;
    for (const auto& [n, v] : params_) {
        if (n != name) continue;
        std::string_view rest = v;
        while (true) {
            const std::size_t comma = rest.find(',');
            out.emplace_back(rest.substr(0, comma));
            if (comma == std::string_view::npos) break;
            rest.remove_prefix(comma + 1);
        }
    }
    return out;
}

std::vector<std::pair<std::string, std::string>> QueryParams::with_prefix(std::string_view prefix) {
    known_prefixes_.emplace_back(prefix);
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& [n, v] : params_) {
        if (n.size() >= prefix.size() && std::string_view(n).substr(0, prefix.size()) == prefix) {
            out.emplace_back(n.substr(prefix.size()), v);
        }
    }
    return out;
}

std::optional<std::uint64_t> QueryParams::integer(std::string_view name, std::uint64_t min, std::uint64_t max) {
    auto text = single(name);
    if (!text) return std::nullopt;
    std::uint64_t value = 0;
    const char* end = text->data() + text->size();
    auto [ptr, ec] = std::from_chars(text->data(), end, value);
    if (text->empty() || ec != std::errc() || ptr != end) {
        throw bad_param(std::string(name), "expected a non-negative integer, got \"" + *text + "\"");
    }
    if (value < min || value > max) {
        throw bad_param(std::string(name), "value " + *text + " is out of range; allowed " + std::to_string(min) +
                                               " to " + std::to_string(max));
    }
    return value;
}

std::optional<bool> QueryParams::boolean(std::string_view name) {
    auto text = single(name);
    if (!text) return std::nullopt;
    if (*text == "true" || *text == "1") return true;
    if (*text == "false" || *text == "0") return false;
    throw bad_param(std::string(name), "expected true or false, got \"" + *text + "\"");
}

void QueryParams::finish() const {
    for (const auto& [n, v] : params_) {
        bool known = std::find(known_.begin(), known_.end(), n) != known_.end();
        for (const auto& prefix : known_prefixes_) known = known || n.starts_with(prefix);
        if (!known) {
            std::string allowed;
            for (const auto& k : known_) allowed += (allowed.empty() ? "" : ", ") + k;
            for (const auto& p : known_prefixes_) allowed += (allowed.empty() ? "" : ", ") + p + "<letter>";
            throw bad_param(n, "unknown parameter" + (allowed.empty() ? std::string("; this path takes none")
                                                                       : "; allowed: " + allowed));
        }
    }
}

}  // namespace brotr::api
