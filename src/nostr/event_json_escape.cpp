#include "nostr/event_json_escape.hpp"

#include "nostr/event_string_scan.hpp"

namespace brotr::detail {
namespace {

void append_escape(unsigned char c, std::string& out) {
    switch (c) {
        case '"': out.append("\\\""); return;
        case '\\': out.append("\\\\"); return;
        case '\b': out.append("\\b"); return;
        case '\f': out.append("\\f"); return;
        case '\n': out.append("\\n"); return;
        case '\r': out.append("\\r"); return;
        case '\t': out.append("\\t"); return;
        default: {
            constexpr char kDigits[] = "0123456789abcdef";
            const char esc[6] = {'\\', 'u', '0', '0', kDigits[c >> 4], kDigits[c & 0x0f]};
            out.append(esc, sizeof esc);
        }
    }
}

}  // namespace

void append_json_string(std::string_view s, std::string& out) {
    out.push_back('"');
    const char* p = s.data();
    const char* end = p + s.size();
    while (p < end) {
        const std::size_t run = writer_plain_prefix(p, end);
        out.append(p, run);
        p += run;
        if (p == end) break;
        append_escape(static_cast<unsigned char>(*p), out);
        ++p;
    }
    out.push_back('"');
}

void append_tags_json(const Tags& tags, std::string& out) {
    out.push_back('[');
    for (std::size_t i = 0; i < tags.size(); ++i) {
        if (i != 0) out.push_back(',');
        out.push_back('[');
        const Tag& tag = tags[i];
        for (std::size_t j = 0; j < tag.size(); ++j) {
            if (j != 0) out.push_back(',');
            append_json_string(tag[j], out);
        }
        out.push_back(']');
    }
    out.push_back(']');
}

}  // namespace brotr::detail
