// Loading implementation directories: the shipped bigbrotr and lilbrotr
// configurations, defaults for missing files, and directory-level errors.
#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "brotr/config.hpp"
#include "support/test_env.hpp"
#include "unit/config_test_util.hpp"

namespace brotr {
namespace {

namespace fs = std::filesystem;
using test::config_error_of;
using test::contains;

std::optional<fs::path> implementation(const std::string& name) {
    auto source = test::env("BROTR_SOURCE_DIR");
    if (!source) return std::nullopt;
    return fs::path(*source) / "implementations" / name;
}

TEST(LoadConfig, BigbrotrImplementation) {
    auto dir = implementation("bigbrotr");
    if (!dir) GTEST_SKIP() << "BROTR_SOURCE_DIR is not set (run through ctest)";
    Config c = load_config(*dir);
    EXPECT_EQ(c.dir, fs::absolute(*dir).lexically_normal());
    EXPECT_EQ(c.brotr.store.variant, StoreVariant::bigbrotr);
    EXPECT_EQ(c.brotr.store.path, c.dir / "data/brotr.db");
    EXPECT_FALSE(c.brotr.network.allow_loopback);
    EXPECT_FALSE(c.brotr.network.allow_private);
    EXPECT_EQ(c.services.initializer.seed.file_path, c.dir / "data/seed_relays.txt");
    EXPECT_TRUE(c.services.monitor.tor.enabled);
    EXPECT_TRUE(c.services.synchronizer.tor.enabled);
    EXPECT_EQ(c.services.synchronizer.concurrency.max_parallel, 10u);
    EXPECT_GT(c.services.synchronizer.concurrency.max_processes, 1u);
    EXPECT_TRUE(c.services.finder.events.enabled);
}

TEST(LoadConfig, LilbrotrImplementation) {
    auto dir = implementation("lilbrotr");
    if (!dir) GTEST_SKIP() << "BROTR_SOURCE_DIR is not set (run through ctest)";
    Config c = load_config(*dir);
    EXPECT_EQ(c.brotr.store.variant, StoreVariant::lilbrotr);
    EXPECT_FALSE(c.services.monitor.tor.enabled);
    EXPECT_FALSE(c.services.synchronizer.tor.enabled);
    EXPECT_EQ(c.services.synchronizer.concurrency.max_parallel, 5u);
    EXPECT_FALSE(c.services.finder.events.enabled);  // no tags or content to scan
}

TEST(LoadConfig, ShippedSeedListsAreValidRelayUrls) {
    for (const char* name : {"bigbrotr", "lilbrotr"}) {
        auto dir = implementation(name);
        if (!dir) GTEST_SKIP() << "BROTR_SOURCE_DIR is not set (run through ctest)";
        Config c = load_config(*dir);
        std::ifstream in(c.services.initializer.seed.file_path);
        ASSERT_TRUE(in) << c.services.initializer.seed.file_path;
        std::set<std::string> urls;
        std::string line;
        while (std::getline(in, line)) {
            if (line.empty() || line.front() == '#') continue;
            std::string why;
            auto url = RelayUrl::parse(line, &why);
            ASSERT_TRUE(url) << name << ": " << line << ": " << why;
            EXPECT_EQ(url->str(), line) << "seed lines are stored normalized";
            EXPECT_TRUE(urls.insert(url->str()).second) << "duplicate " << line;
        }
        EXPECT_GE(urls.size(), 15u) << name;
    }
}

TEST(LoadConfig, EmptyDirectoryMeansDefaults) {
    test::TempDir dir;
    Config c = load_config(dir.path());
    EXPECT_EQ(c.brotr.store.path, c.dir / "data/brotr.db");
    EXPECT_EQ(c.brotr.store.variant, StoreVariant::bigbrotr);
    EXPECT_EQ(c.services.synchronizer.filter.limit, 500u);
    EXPECT_EQ(c.services.monitor.interval, 3600);
    EXPECT_EQ(c.services.finder.api.sources.size(), 2u);
    EXPECT_EQ(c.services.initializer.seed.file_path, c.dir / "data/seed_relays.txt");
}

TEST(LoadConfig, ReadsFilesAndNamesTheFailingOne) {
    test::TempDir dir;
    fs::create_directories(dir / "services");
    test::write_file(dir / "brotr.yaml", "store: {variant: lilbrotr, path: db}\n");
    test::write_file(dir / "services" / "monitor.yaml", "interval: 120\n");
    Config c = load_config(dir.path());
    EXPECT_EQ(c.brotr.store.variant, StoreVariant::lilbrotr);
    EXPECT_EQ(c.brotr.store.path, c.dir / "db");
    EXPECT_EQ(c.services.monitor.interval, 120);

    test::write_file(dir / "services" / "synchronizer.yaml", "filter:\n  limit: 0\n");
    auto e = config_error_of([&] { load_config(dir.path()); });
    EXPECT_EQ(e.file(), (c.dir / "services" / "synchronizer.yaml").string());
    EXPECT_EQ(e.key(), "filter.limit");
    EXPECT_TRUE(contains(e.what(), "synchronizer.yaml: filter.limit: value 0 is out of range; allowed 1 to 5000"))
        << e.what();
}

TEST(LoadConfig, MisspeltServiceFileIsRefused) {
    test::TempDir dir;
    fs::create_directories(dir / "services");
    test::write_file(dir / "services" / "synchroniser.yaml", "interval: 60\n");
    auto e = config_error_of([&] { load_config(dir.path()); });
    EXPECT_TRUE(contains(e.file(), "synchroniser.yaml")) << e.what();
    EXPECT_TRUE(contains(e.what(), "unknown service configuration file")) << e.what();
    EXPECT_TRUE(contains(e.what(), "synchronizer.yaml")) << e.what();

    fs::remove(dir / "services" / "synchroniser.yaml");
    test::write_file(dir / "services" / "README", "not yaml, ignored\n");
    EXPECT_NO_THROW(load_config(dir.path()));
}

TEST(LoadConfig, MissingDirectoryAndUnreadableFiles) {
    auto e = config_error_of([] { load_config("/nonexistent/brotr-config"); });
    EXPECT_EQ(e.file(), "/nonexistent/brotr-config");
    EXPECT_TRUE(contains(e.what(), "configuration directory does not exist")) << e.what();

    test::TempDir dir;
    fs::create_directories(dir / "brotr.yaml");  // a directory where a file belongs
    e = config_error_of([&] { load_config(dir.path()); });
    EXPECT_TRUE(contains(e.what(), "brotr.yaml: not a regular file")) << e.what();
}

}  // namespace
}  // namespace brotr
