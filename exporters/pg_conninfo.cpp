#include "exporters/pg_conninfo.hpp"

#include <algorithm>
#include <cctype>
#include <regex>

namespace brotr::pg {
namespace {

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string percent_decode(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && hex_digit(s[i + 1]) >= 0 && hex_digit(s[i + 2]) >= 0) {
            out += static_cast<char>(hex_digit(s[i + 1]) * 16 + hex_digit(s[i + 2]));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

std::string percent_encode(std::string_view s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~') {
            out += c;
        } else {
            out += '%';
            out += kHex[u >> 4];
            out += kHex[u & 0xF];
        }
    }
    return out;
}

// key = value pairs; values may be single-quoted; backslash escapes the next character.
std::map<std::string, std::string> parse_key_values(std::string_view s) {
    std::map<std::string, std::string> out;
    std::size_t i = 0;
    auto skip_spaces = [&] {
        while (i < s.size() && is_space(s[i])) ++i;
    };
    while (true) {
        skip_spaces();
        if (i >= s.size()) break;
        const std::size_t key_start = i;
        while (i < s.size() && s[i] != '=' && !is_space(s[i])) ++i;
        const std::string key(s.substr(key_start, i - key_start));
        skip_spaces();
        if (i >= s.size() || s[i] != '=') break;  // malformed: libpq will say so
        ++i;
        skip_spaces();
        std::string value;
        if (i < s.size() && s[i] == '\'') {
            ++i;
            while (i < s.size() && s[i] != '\'') {
                if (s[i] == '\\' && i + 1 < s.size()) ++i;
                value += s[i++];
            }
            ++i;  // closing quote
        } else {
            while (i < s.size() && !is_space(s[i])) {
                if (s[i] == '\\' && i + 1 < s.size()) ++i;
                value += s[i++];
            }
        }
        out[key] = std::move(value);
    }
    return out;
}

// postgresql://[user[:password]@][host[:port][,...]][/dbname][?key=value&...]
std::map<std::string, std::string> parse_uri(std::string_view s) {
    std::map<std::string, std::string> out;
    s.remove_prefix(s.find("://") + 3);
    const std::size_t query_at = s.find('?');
    std::string_view rest = s.substr(0, query_at);
    std::string_view query = query_at == std::string_view::npos ? std::string_view{} : s.substr(query_at + 1);

    const std::size_t slash = rest.find('/');
    if (const std::size_t at = rest.substr(0, slash).rfind('@'); at != std::string_view::npos) {
        const std::string_view userinfo = rest.substr(0, at);
        const std::size_t colon = userinfo.find(':');
        out["user"] = percent_decode(userinfo.substr(0, colon));
        if (colon != std::string_view::npos) out["password"] = percent_decode(userinfo.substr(colon + 1));
        rest.remove_prefix(at + 1);
    }
    const std::size_t path_at = rest.find('/');
    const std::string_view hostlist = rest.substr(0, path_at);
    if (path_at != std::string_view::npos) {
        const std::string dbname = percent_decode(rest.substr(path_at + 1));
        if (!dbname.empty()) out["dbname"] = dbname;
    }
    // Every host[:port] of a comma-separated list; libpq pairs them by position.
    std::string hosts, ports;
    bool any_host = false, any_port = false;
    for (std::size_t start = 0; start <= hostlist.size();) {
        const std::size_t comma = std::min(hostlist.find(',', start), hostlist.size());
        const std::string_view entry = hostlist.substr(start, comma - start);
        std::string_view host = entry, port;
        if (entry.starts_with('[')) {  // [IPv6 address]:port
            const std::size_t close = std::min(entry.find(']'), entry.size());
            host = entry.substr(1, close - 1);
            if (close + 1 < entry.size() && entry[close + 1] == ':') port = entry.substr(close + 2);
        } else if (const std::size_t colon = entry.rfind(':'); colon != std::string_view::npos) {
            host = entry.substr(0, colon);
            port = entry.substr(colon + 1);
        }
        if (start > 0) {
            hosts += ',';
            ports += ',';
        }
        hosts += percent_decode(host);
        ports += percent_decode(port);
        any_host = any_host || !host.empty();
        any_port = any_port || !port.empty();
        start = comma + 1;
    }
    if (any_host) out["host"] = hosts;
    if (any_port) out["port"] = ports;
    while (!query.empty()) {
        const std::size_t amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        if (const std::size_t eq = pair.find('='); eq != std::string_view::npos)
            out[percent_decode(pair.substr(0, eq))] = percent_decode(pair.substr(eq + 1));
        if (amp == std::string_view::npos) break;
        query.remove_prefix(amp + 1);
    }
    return out;
}

}  // namespace

bool is_conninfo_uri(std::string_view conninfo) {
    return conninfo.starts_with("postgresql://") || conninfo.starts_with("postgres://");
}

std::map<std::string, std::string> parse_conninfo(std::string_view conninfo) {
    return is_conninfo_uri(conninfo) ? parse_uri(conninfo) : parse_key_values(conninfo);
}

std::string with_conninfo_setting(std::string conninfo, std::string_view key, std::string_view value) {
    if (is_conninfo_uri(conninfo)) {
        conninfo += conninfo.find('?') == std::string::npos ? '?' : '&';
        conninfo += key;
        conninfo += '=';
        conninfo += percent_encode(value);
        return conninfo;
    }
    if (!conninfo.empty()) conninfo += ' ';
    conninfo += key;
    conninfo += "='";
    for (char c : value) {
        if (c == '\\' || c == '\'') conninfo += '\\';
        conninfo += c;
    }
    conninfo += '\'';
    return conninfo;
}

std::vector<std::string> conninfo_password_tokens(std::string_view conninfo) {
    std::vector<std::string> tokens;
    const auto parsed = parse_conninfo(conninfo);
    if (auto it = parsed.find("password"); it != parsed.end() && !it->second.empty()) tokens.push_back(it->second);
    // Also the raw text, in case the string is malformed and was not fully read.
    static const std::regex key_value(R"(password\s*=\s*('(?:[^'\\]|\\.)*'|[^\s&]+))", std::regex::icase);
    static const std::regex uri_userinfo(R"(://[^:/@]*:([^@/]+)@)");
    const std::string text(conninfo);
    for (const auto* re : {&key_value, &uri_userinfo})
        for (std::sregex_iterator it(text.begin(), text.end(), *re), end; it != end; ++it)
            tokens.push_back((*it)[1].str());
    return tokens;
}

}  // namespace brotr::pg
