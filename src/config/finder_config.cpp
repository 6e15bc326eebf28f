// services/finder.yaml: relay discovery from public APIs and stored events.
#include "config/key_tables.hpp"

namespace brotr {

using namespace config_detail;

namespace {

using C = FinderConfig;

std::string lower(std::string s) {
    for (char& c : s) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    return s;
}

// The sources come from the operator's own file, so only the form is checked
// here (the SSRF rule is for URLs found on the network).
std::string read_http_url(const Value& v) {
    std::string url = v.as_nonempty_string();
    const std::string lowered = lower(url);
    std::size_t host_start = lowered.starts_with("https://") ? 8 : lowered.starts_with("http://") ? 7 : 0;
    if (host_start == 0) v.fail("expected an http:// or https:// URL, got " + v.describe());
    if (host_start >= url.size() || url[host_start] == '/' || url[host_start] == ':' || url[host_start] == '?') {
        v.fail("URL has no host: " + v.describe());
    }
    for (char c : url) {
        auto byte = static_cast<unsigned char>(c);
        if (byte <= 0x20 || byte == 0x7F) v.fail("URL contains whitespace or control characters: " + v.describe());
    }
    return url;
}

C::ApiSource read_source(const Value& element) {
    C::ApiSource source;
    MapValue map = element.as_map();
    auto url = map.get("url");
    if (!url) element.fail("each source needs a url");
    source.url = read_http_url(*url);
    map.read("enabled", source.enabled);
    map.read("timeout", source.timeout, 1, 120);
    map.finish();
    return source;
}

FileKeys<C> make_table() {
    FileKeys<C> t{"services/finder.yaml", "The finder: discovers relay URLs from public APIs and archived events.", {}};
    auto& k = t.keys;
    k.push_back(enabled_key<C>("the finder"));
    k.push_back(interval_key<C>(BROTR_FIELD(interval)));
    k.push_back({"api.sources", "list", "a list of {url (http or https), enabled, timeout (1 to 120 s)}, or null",
                 "HTTP sources answering a JSON array of relay URLs. Null: none.",
                 [](const Value& v, C& c) {
                     c.api.sources.clear();
                     if (v.is_null()) return;
                     for (const Value& element : v.as_list()) c.api.sources.push_back(read_source(element));
                 },
                 [](const C& c) {
                     std::string urls;
                     for (const auto& s : c.api.sources) urls += (urls.empty() ? "" : ", ") + s.url;
                     return "[" + urls + "]";
                 }});
    k.push_back(number<C>("api.delay_between_requests", BROTR_FIELD(api.delay_between_requests), 0, 10, "s",
                          "Pause between two API requests."));
    k.push_back(boolean<C>("events.enabled", BROTR_FIELD(events.enabled),
                           "Scan archived events for relay URLs (kind 10002 r tags, kind 3 and 2 content, relay "
                           "hints in e/p/a tags)."));
    return t;
}

}  // namespace

const FileKeys<FinderConfig>& config_detail::finder_keys() {
    static const FileKeys<FinderConfig> table = make_table();
    return table;
}

FinderConfig parse_finder_config(std::string_view yaml, const std::string& file) {
    FinderConfig config;
    read_keys(finder_keys(), yaml, file, config);
    return config;
}

}  // namespace brotr
