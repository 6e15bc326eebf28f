// services/finder.yaml: relay discovery from public APIs and stored events.
#include "brotr/config.hpp"
#include "config/common_readers.hpp"

namespace brotr {

using namespace config_detail;

namespace {

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

FinderConfig::ApiSource read_source(const Value& element) {
    FinderConfig::ApiSource source;
    MapValue map = element.as_map();
    auto url = map.get("url");
    if (!url) element.fail("each source needs a url");
    source.url = read_http_url(*url);
    map.read("enabled", source.enabled);
    map.read("timeout", source.timeout, 1, 120);
    map.finish();
    return source;
}

}  // namespace

FinderConfig parse_finder_config(std::string_view yaml, const std::string& file) {
    FinderConfig config;
    MapValue root = parse_document(yaml, &file);
    root.read("enabled", config.enabled);
    read_interval(root, config.interval);

    MapValue api = root.map("api");
    if (auto v = api.get("sources")) {
        config.api.sources.clear();
        if (!v->is_null()) {
            for (const Value& element : v->as_list()) config.api.sources.push_back(read_source(element));
        }
    }
    api.read("delay_between_requests", config.api.delay_between_requests, 0, 10);
    api.finish();

    MapValue events = root.map("events");
    events.read("enabled", config.events.enabled);
    events.finish();

    root.finish();
    return config;
}

}  // namespace brotr
