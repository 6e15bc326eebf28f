// The configuration keys as their tables declare them (src/config/key_table.hpp):
// for docs/config.md (`brotr config doc`) and for the test that holds each
// shipped YAML file to its table.
#pragma once

#include <string>
#include <vector>

namespace brotr {

struct ConfigKeyReference {
    std::string path;          // dotted, as in the YAML: "timeouts.clearnet.request"
    std::string type;          // "boolean", "integer", "number", "string", ...
    std::string default_text;  // the default as YAML would write it, or words when it has none
    bool default_is_value = true;  // false: default_text describes it ("the host name")
    std::string allowed;       // the range or set of allowed values
    std::string description;
};

struct ConfigFileReference {
    std::string file;     // relative to the implementation directory: "services/monitor.yaml"
    std::string summary;  // what the file configures
    std::vector<ConfigKeyReference> keys;
};

// brotr.yaml first, then each services/<name>.yaml in kServiceNames order.
std::vector<ConfigFileReference> config_reference();

// docs/config.md: every file and key, as Markdown tables.
std::string config_reference_markdown();

}  // namespace brotr
