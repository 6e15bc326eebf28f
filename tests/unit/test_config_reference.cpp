// The key tables are the one declaration of every configuration key: these
// tests hold docs/config.md and the shipped YAML files to them.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "brotr/config.hpp"
#include "brotr/config_reference.hpp"
#include "support/test_env.hpp"
#include "unit/config_test_util.hpp"

namespace brotr {
namespace {

namespace fs = std::filesystem;

std::optional<fs::path> source_dir() {
    auto source = test::env("BROTR_SOURCE_DIR");
    if (!source) return std::nullopt;
    return fs::path(*source);
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The key paths a YAML document sets: mappings are walked down to a path the
// table declares (whose value may itself be a mapping or a list, like
// filter.tags or overrides), or to a leaf it does not.
void collect_paths(const YAML::Node& node, const std::string& prefix, const std::set<std::string>& declared,
                   std::set<std::string>& out) {
    for (const auto& entry : node) {
        std::string path = prefix + entry.first.Scalar();
        if (declared.count(path) || !entry.second.IsMap()) {
            out.insert(path);
        } else {
            collect_paths(entry.second, path + ".", declared, out);
        }
    }
}

// Keys shown commented out, as "# public_key: ..." (optional keys with no
// default value to write).
std::set<std::string> commented_key_names(const std::string& text) {
    std::set<std::string> out;
    static const std::regex commented(R"(^\s*#\s*([a-z_]+):)");
    std::istringstream lines(text);
    std::string line;
    std::smatch m;
    while (std::getline(lines, line)) {
        if (std::regex_search(line, m, commented)) out.insert(m[1]);
    }
    return out;
}

std::string last_segment(const std::string& path) { return path.substr(path.rfind('.') + 1); }

TEST(ConfigReference, EveryFileIsDeclaredWithEveryKeyDescribed) {
    auto files = config_reference();
    ASSERT_EQ(files.size(), 1 + std::size(kServiceNames));
    EXPECT_EQ(files[0].file, "brotr.yaml");
    for (std::size_t i = 0; i < std::size(kServiceNames); ++i) {
        EXPECT_EQ(files[i + 1].file, "services/" + std::string(kServiceNames[i]) + ".yaml");
    }
    for (const auto& file : files) {
        EXPECT_FALSE(file.summary.empty()) << file.file;
        std::set<std::string> paths;
        for (const auto& key : file.keys) {
            EXPECT_TRUE(paths.insert(key.path).second) << file.file << ": " << key.path << " declared twice";
            EXPECT_FALSE(key.type.empty()) << file.file << ": " << key.path;
            EXPECT_FALSE(key.default_text.empty()) << file.file << ": " << key.path;
            EXPECT_FALSE(key.allowed.empty()) << file.file << ": " << key.path;
            EXPECT_GE(key.description.size(), 10u) << file.file << ": " << key.path;
        }
    }
}

TEST(ConfigReference, DefaultsShownAreTheParsersDefaults) {
    auto files = config_reference();
    auto find = [&](const std::string& file, const std::string& path) -> const ConfigKeyReference& {
        for (const auto& f : files)
            for (const auto& k : f.keys)
                if (f.file == file && k.path == path) return k;
        throw std::runtime_error("no key " + file + ": " + path);
    };
    EXPECT_EQ(find("services/synchronizer.yaml", "timeouts.tor.relay").default_text, "3600");
    EXPECT_EQ(find("services/synchronizer.yaml", "timeouts.tor.relay").allowed, "60 to 14400 s");
    EXPECT_EQ(find("services/synchronizer.yaml", "concurrency.stagger_delay").default_text, "[0, 60]");
    EXPECT_EQ(find("services/monitor.yaml", "tor.port").default_text, "9050");
    EXPECT_EQ(find("brotr.yaml", "store.variant").allowed, "bigbrotr, lilbrotr");
    EXPECT_EQ(find("brotr.yaml", "logging.level").default_text, "info");
    EXPECT_EQ(find("brotr.yaml", "export.conninfo").default_text, "\"\"");
    EXPECT_EQ(find("services/api.yaml", "enabled").default_text, "false");
}

TEST(ConfigReference, DocsConfigMdIsGeneratedFromTheTables) {
    auto dir = source_dir();
    if (!dir) GTEST_SKIP() << "BROTR_SOURCE_DIR is not set (run through ctest)";
    const std::string committed = read_file(*dir / "docs" / "config.md");
    EXPECT_EQ(committed, config_reference_markdown())
        << "docs/config.md differs from the key tables; regenerate it: build/brotr config doc > docs/config.md";
}

// Each shipped file sets only declared keys (load_config refuses the rest)
// and shows every declared key, set or commented out, so that reading it is
// reading the whole file's reference.
TEST(ConfigReference, ShippedYamlHoldsEveryDeclaredKeyAndNoOther) {
    auto dir = source_dir();
    if (!dir) GTEST_SKIP() << "BROTR_SOURCE_DIR is not set (run through ctest)";
    for (const char* implementation : {"bigbrotr", "lilbrotr"}) {
        const fs::path base = *dir / "implementations" / implementation;
        EXPECT_NO_THROW(load_config(base)) << implementation;
        for (const auto& file : config_reference()) {
            const fs::path path = base / file.file;
            ASSERT_TRUE(fs::exists(path)) << path;
            std::set<std::string> declared;
            for (const auto& key : file.keys) declared.insert(key.path);
            const std::string text = read_file(path);
            std::set<std::string> set_paths;
            YAML::Node root = YAML::Load(text);
            if (root.IsMap()) collect_paths(root, "", declared, set_paths);
            for (const auto& p : set_paths) EXPECT_TRUE(declared.count(p)) << path << ": undeclared key " << p;
            const std::set<std::string> commented = commented_key_names(text);
            for (const auto& key : declared) {
                EXPECT_TRUE(set_paths.count(key) || commented.count(last_segment(key)))
                    << path << ": declared key " << key << " is neither set nor shown commented out";
            }
        }
    }
}

}  // namespace
}  // namespace brotr
