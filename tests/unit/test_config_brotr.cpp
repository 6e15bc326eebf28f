// brotr.yaml: defaults, every key, and every way it can be wrong.
#include <gtest/gtest.h>

#include <unistd.h>

#include "brotr/config.hpp"
#include "unit/config_test_util.hpp"

namespace brotr {
namespace {

using test::config_error_of;
using test::contains;

const std::string kFile = "/etc/brotr/brotr.yaml";
const std::filesystem::path kBase = "/srv/brotr";

BrotrConfig parse(const std::string& yaml) { return parse_brotr_config(yaml, kFile, kBase); }

ConfigError error_of(const std::string& yaml) {
    return config_error_of([&] { parse(yaml); });
}

TEST(BrotrConfig, EmptyDocumentMeansDefaults) {
    for (const std::string yaml : {"", "# only a comment\n", "~\n", "---\n"}) {
        BrotrConfig c = parse(yaml);
        EXPECT_EQ(c.store.path, kBase / "data/brotr.db") << yaml;
        EXPECT_EQ(c.store.variant, StoreVariant::bigbrotr);
        EXPECT_EQ(c.logging.level, log::Level::info);
        EXPECT_FALSE(c.exporter.enabled);
        EXPECT_EQ(c.exporter.password_env, "PGPASSWORD");
        EXPECT_EQ(c.exporter.batch_size, 1000u);
        EXPECT_EQ(c.exporter.interval, 60);
        EXPECT_FALSE(c.network.allow_loopback);
        EXPECT_FALSE(c.network.allow_private);
    }
}

TEST(BrotrConfig, NodeIdDefaultsToTheHostName) {
    char host[256] = {};
    ASSERT_EQ(gethostname(host, sizeof host - 1), 0);
    BrotrConfig c = parse("");
    ASSERT_FALSE(c.node_id.empty());
    EXPECT_LE(c.node_id.size(), 64u);
    EXPECT_EQ(c.node_id, std::string(host).substr(0, 64));  // test hosts have plain names
}

TEST(BrotrConfig, ReadsEveryKey) {
    BrotrConfig c = parse(R"(
store:
  path: /var/lib/brotr/store
  variant: lilbrotr
node_id: edge-7.eu_west
logging:
  level: DEBUG
export:
  enabled: true
  conninfo: "host=db.example.org dbname=bigbrotr user=brotr"
  password_env: BROTR_DB_PASSWORD
  batch_size: 5000
  interval: 2.5
network:
  allow_loopback: true
  allow_private: yes
)");
    EXPECT_EQ(c.store.path, "/var/lib/brotr/store");
    EXPECT_EQ(c.store.variant, StoreVariant::lilbrotr);
    EXPECT_EQ(c.node_id, "edge-7.eu_west");
    EXPECT_EQ(c.logging.level, log::Level::debug);
    EXPECT_TRUE(c.exporter.enabled);
    EXPECT_EQ(c.exporter.conninfo, "host=db.example.org dbname=bigbrotr user=brotr");
    EXPECT_EQ(c.exporter.password_env, "BROTR_DB_PASSWORD");
    EXPECT_EQ(c.exporter.batch_size, 5000u);
    EXPECT_EQ(c.exporter.interval, 2.5);
    EXPECT_TRUE(c.network.allow_loopback);
    EXPECT_TRUE(c.network.allow_private);
}

TEST(BrotrConfig, RelativeStorePathResolvesAgainstTheConfigDir) {
    EXPECT_EQ(parse("store: {path: ../shared/store}").store.path, "/srv/shared/store");
    EXPECT_EQ(parse("store: {path: ./db}").store.path, "/srv/brotr/db");
}

TEST(BrotrConfig, UnknownKeysAreRefusedWithTheAllowedOnes) {
    auto e = error_of("store:\n  pth: x\n");
    EXPECT_EQ(e.file(), kFile);
    EXPECT_EQ(e.key(), "store.pth");
    EXPECT_TRUE(contains(e.what(), "unknown key")) << e.what();
    EXPECT_TRUE(contains(e.what(), "path, variant")) << e.what();
    EXPECT_TRUE(contains(e.what(), "(line 2)")) << e.what();

    EXPECT_EQ(error_of("stores: {}\n").key(), "stores");
    EXPECT_EQ(error_of("network: {allow_loopbak: true}\n").key(), "network.allow_loopbak");
    EXPECT_EQ(error_of("export: {batchsize: 1}\n").key(), "export.batchsize");
}

TEST(BrotrConfig, WrongTypesAreRefused) {
    auto e = error_of("network:\n  allow_loopback: maybe\n");
    EXPECT_EQ(e.key(), "network.allow_loopback");
    EXPECT_TRUE(contains(e.what(), "expected true or false, got \"maybe\"")) << e.what();

    e = error_of("export: {batch_size: lots}\n");
    EXPECT_EQ(e.key(), "export.batch_size");
    EXPECT_TRUE(contains(e.what(), "expected an integer, got \"lots\"")) << e.what();

    e = error_of("export: {batch_size: 10.5}\n");
    EXPECT_TRUE(contains(e.what(), "expected an integer, got \"10.5\"")) << e.what();

    e = error_of("store: [a, b]\n");
    EXPECT_EQ(e.key(), "store");
    EXPECT_TRUE(contains(e.what(), "expected a mapping")) << e.what();

    e = error_of("store: {path: {nested: 1}}\n");
    EXPECT_EQ(e.key(), "store.path");
    EXPECT_TRUE(contains(e.what(), "expected a string, got a mapping")) << e.what();

    e = error_of("export: {interval: .nan}\n");
    EXPECT_TRUE(contains(e.what(), "expected a number")) << e.what();

    e = error_of("export: {interval: }\n");
    EXPECT_TRUE(contains(e.what(), "expected a number, got null")) << e.what();
}

TEST(BrotrConfig, OutOfRangeNamesValueAndRange) {
    auto e = error_of("export: {batch_size: 0}\n");
    EXPECT_EQ(e.key(), "export.batch_size");
    EXPECT_TRUE(contains(e.what(), "value 0 is out of range; allowed 1 to 100000")) << e.what();

    e = error_of("export: {interval: 86400.5}\n");
    EXPECT_TRUE(contains(e.what(), "value 86400.5 is out of range; allowed 1 to 86400")) << e.what();

    e = error_of("export: {batch_size: 99999999999999999999999}\n");
    EXPECT_TRUE(contains(e.what(), "expected an integer")) << e.what();
}

TEST(BrotrConfig, BackupSection) {
    BrotrConfig c = parse("");
    EXPECT_FALSE(c.backup.enabled);
    EXPECT_EQ(c.backup.directory, kBase / "data/backups");
    EXPECT_EQ(c.backup.interval, 86400);
    EXPECT_EQ(c.backup.keep, 7u);

    c = parse("backup:\n  enabled: true\n  directory: ../backups\n  interval: 600\n  keep: 30\n");
    EXPECT_TRUE(c.backup.enabled);
    EXPECT_EQ(c.backup.directory, "/srv/backups");  // relative to the config dir, like store.path
    EXPECT_EQ(c.backup.interval, 600);
    EXPECT_EQ(c.backup.keep, 30u);
    EXPECT_EQ(parse("backup: {directory: /mnt/backup/brotr}").backup.directory, "/mnt/backup/brotr");

    auto e = error_of("backup: {interval: 5}\n");
    EXPECT_EQ(e.key(), "backup.interval");
    EXPECT_TRUE(contains(e.what(), "value 5 is out of range; allowed 10 to 2592000")) << e.what();
    e = error_of("backup: {interval: soon}\n");
    EXPECT_TRUE(contains(e.what(), "expected a number, got \"soon\"")) << e.what();
    e = error_of("backup: {keep: 0}\n");
    EXPECT_EQ(e.key(), "backup.keep");
    EXPECT_TRUE(contains(e.what(), "value 0 is out of range; allowed 1 to 1000")) << e.what();
    e = error_of("backup: {directory: \"\"}\n");
    EXPECT_EQ(e.key(), "backup.directory");
    // Inside the store, a restore would delete them.
    e = error_of("backup: {directory: data/brotr.db/backups}\n");
    EXPECT_EQ(e.key(), "backup.directory");
    EXPECT_TRUE(contains(e.what(), "is the store (store.path) or inside it")) << e.what();
    e = error_of("store: {path: /data/s}\nbackup: {directory: /data/s}\n");
    EXPECT_EQ(e.key(), "backup.directory");
    EXPECT_NO_THROW(parse("store: {path: /data/s}\nbackup: {directory: /data/s-backups}\n"));
}

TEST(BrotrConfig, BadEnumValuesListTheAllowedOnes) {
    auto e = error_of("store: {variant: medium}\n");
    EXPECT_EQ(e.key(), "store.variant");
    EXPECT_TRUE(contains(e.what(), "value \"medium\" is not allowed; allowed: bigbrotr, lilbrotr")) << e.what();

    e = error_of("logging: {level: verbose}\n");
    EXPECT_EQ(e.key(), "logging.level");
    EXPECT_TRUE(contains(e.what(), "allowed: trace, debug, info, warn, error, off")) << e.what();
}

TEST(BrotrConfig, NodeIdMustBeShortAndPlain) {
    EXPECT_EQ(error_of("node_id: \"\"\n").key(), "node_id");
    EXPECT_EQ(error_of("node_id: has space\n").key(), "node_id");
    EXPECT_EQ(error_of("node_id: a/b\n").key(), "node_id");
    EXPECT_EQ(error_of("node_id: " + std::string(65, 'n') + "\n").key(), "node_id");
    EXPECT_EQ(parse("node_id: " + std::string(64, 'n') + "\n").node_id, std::string(64, 'n'));
}

TEST(BrotrConfig, SecretsAreNeverReadFromYaml) {
    for (const std::string yaml :
         {"password: hunter2\n", "export:\n  password: hunter2\n", "export: {db_password: hunter2}\n",
          "export: {PGPassword: hunter2}\n", "secret: x\n", "private_key: abc\n"}) {
        auto e = error_of(yaml);
        EXPECT_TRUE(contains(e.what(), "looks like a secret")) << yaml << " -> " << e.what();
        EXPECT_FALSE(contains(e.what(), "hunter2")) << e.what();
    }
    EXPECT_EQ(error_of("export:\n  password: hunter2\n").key(), "export.password");
}

TEST(BrotrConfig, ConninfoWithAPasswordIsRefusedWithoutEchoingIt) {
    for (const std::string conninfo :
         {"host=db password=hunter2", "host=db PASSWORD = hunter2", "postgresql://brotr:hunter2@db/bigbrotr",
          "postgres://brotr:hunter2@db:5432", "postgresql://db/bigbrotr?password=hunter2"}) {
        auto e = error_of("export:\n  conninfo: \"" + conninfo + "\"\n");
        EXPECT_EQ(e.key(), "export.conninfo") << conninfo;
        EXPECT_TRUE(contains(e.what(), "must not contain a password")) << e.what();
        EXPECT_FALSE(contains(e.what(), "hunter2")) << e.what();
    }
    // A user name alone is fine.
    EXPECT_EQ(parse("export: {conninfo: \"postgresql://brotr@db/bigbrotr\"}").exporter.conninfo,
              "postgresql://brotr@db/bigbrotr");
}

TEST(BrotrConfig, ExportNeedsAConninfoWhenEnabled) {
    auto e = error_of("export: {enabled: true}\n");
    EXPECT_EQ(e.key(), "export.conninfo");
    EXPECT_TRUE(contains(e.what(), "required when export.enabled is true")) << e.what();
}

TEST(BrotrConfig, PasswordEnvMustNameAVariable) {
    EXPECT_EQ(error_of("export: {password_env: \"my var\"}\n").key(), "export.password_env");
    EXPECT_EQ(error_of("export: {password_env: 1ABC}\n").key(), "export.password_env");
    EXPECT_EQ(error_of("export: {password_env: \"\"}\n").key(), "export.password_env");
}

TEST(BrotrConfig, YamlSyntaxErrorsNameFileAndPosition) {
    auto e = error_of("store:\n  path: [unclosed\n");
    EXPECT_EQ(e.file(), kFile);
    EXPECT_TRUE(contains(e.what(), "YAML syntax error at line")) << e.what();

    e = error_of("store: {path: a\n");
    EXPECT_TRUE(contains(e.what(), "YAML syntax error")) << e.what();

    e = error_of("\tstore: x\n");
    EXPECT_TRUE(contains(e.what(), "YAML syntax error")) << e.what();
}

TEST(BrotrConfig, TopLevelMustBeAMapping) {
    auto e = error_of("- a\n- b\n");
    EXPECT_TRUE(contains(e.what(), "expected a mapping of keys to values at the top level")) << e.what();
    e = error_of("just text\n");
    EXPECT_TRUE(contains(e.what(), "top level")) << e.what();
}

TEST(BrotrConfig, DuplicateKeysAreRefused) {
    auto e = error_of("logging: {level: info}\nlogging: {level: debug}\n");
    EXPECT_EQ(e.key(), "logging");
    EXPECT_TRUE(contains(e.what(), "duplicate key")) << e.what();
}

}  // namespace
}  // namespace brotr
