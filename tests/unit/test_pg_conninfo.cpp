// Connection strings: reading both libpq forms, adding settings, naming the
// target for messages and keeping passwords out of them; and finding and
// ordering the schema files. (Connecting is tested against a server in tests/pg.)
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>

#include "exporters/pg_connection.hpp"
#include "exporters/pg_conninfo.hpp"
#include "exporters/pg_schema.hpp"
#include "support/test_env.hpp"

namespace brotr::pg {
namespace {

using Settings = std::map<std::string, std::string>;

TEST(Conninfo, KeyValueForm) {
    EXPECT_EQ(parse_conninfo("host=db.example port=5433 dbname=brotr user=alice"),
              (Settings{{"host", "db.example"}, {"port", "5433"}, {"dbname", "brotr"}, {"user", "alice"}}));
    EXPECT_EQ(parse_conninfo("  host = h   dbname='my db'  "), (Settings{{"host", "h"}, {"dbname", "my db"}}));
    EXPECT_EQ(parse_conninfo(R"(dbname='a\'b\\c' password=x\ y)"),
              (Settings{{"dbname", R"(a'b\c)"}, {"password", "x y"}}));
    EXPECT_EQ(parse_conninfo(""), Settings{});
}

TEST(Conninfo, UriForm) {
    EXPECT_EQ(parse_conninfo("postgresql://alice:p%40ss@db.example:5433/brotr?sslmode=require&connect_timeout=3"),
              (Settings{{"user", "alice"},
                        {"password", "p@ss"},
                        {"host", "db.example"},
                        {"port", "5433"},
                        {"dbname", "brotr"},
                        {"sslmode", "require"},
                        {"connect_timeout", "3"}}));
    EXPECT_EQ(parse_conninfo("postgres://db.example/brotr"), (Settings{{"host", "db.example"}, {"dbname", "brotr"}}));
    EXPECT_EQ(parse_conninfo("postgresql://[::1]:6000/x"), (Settings{{"host", "::1"}, {"port", "6000"}, {"dbname", "x"}}));
    EXPECT_EQ(parse_conninfo("postgresql://h1:1,h2:2/x"), (Settings{{"host", "h1,h2"}, {"port", "1,2"}, {"dbname", "x"}}));
    EXPECT_EQ(parse_conninfo("postgresql://"), Settings{});
    EXPECT_EQ(parse_conninfo("postgresql:///brotr?host=/var/run/postgresql"),
              (Settings{{"dbname", "brotr"}, {"host", "/var/run/postgresql"}}));
}

TEST(Conninfo, AddedSettingsReadBackExactly) {
    for (const std::string& value : {std::string("plain"), std::string("with space"), std::string("q'uote"),
                                     std::string("back\\slash"), std::string("a&b=c?d%41#e"), std::string("")}) {
        const auto kv = with_conninfo_setting("host=h dbname=d", "password", value);
        EXPECT_EQ(parse_conninfo(kv).at("password"), value) << kv;
        EXPECT_EQ(parse_conninfo(kv).at("dbname"), "d");
        const auto uri = with_conninfo_setting("postgresql://h/d", "password", value);
        EXPECT_EQ(parse_conninfo(uri).at("password"), value) << uri;
        const auto uri2 = with_conninfo_setting("postgresql://h/d?sslmode=disable", "password", value);
        EXPECT_EQ(parse_conninfo(uri2).at("password"), value) << uri2;
        EXPECT_EQ(parse_conninfo(uri2).at("sslmode"), "disable");
    }
    EXPECT_EQ(with_conninfo_setting("", "dbname", "x"), "dbname='x'");
}

TEST(Conninfo, LaterSettingOverridesEarlier) {
    EXPECT_EQ(parse_conninfo(with_conninfo_setting("password=old", "password", "new")).at("password"), "new");
}

TEST(Conninfo, PasswordTokens) {
    auto has = [](const std::vector<std::string>& tokens, const std::string& t) {
        return std::find(tokens.begin(), tokens.end(), t) != tokens.end();
    };
    EXPECT_TRUE(has(conninfo_password_tokens("host=h password=abc123"), "abc123"));
    EXPECT_TRUE(has(conninfo_password_tokens("postgresql://u:s3cr%65t@h/d"), "s3cret"));
    EXPECT_TRUE(has(conninfo_password_tokens("postgresql://u:s3cr%65t@h/d"), "s3cr%65t"));
    EXPECT_TRUE(has(conninfo_password_tokens("postgresql://h/d?password=zz9"), "zz9"));
    EXPECT_TRUE(has(conninfo_password_tokens("password = 'unterminated"), "'unterminated"));
    EXPECT_TRUE(conninfo_password_tokens("host=h dbname=d").empty());
}

TEST(Conninfo, Redact) {
    EXPECT_EQ(redact("a pw b pw", "pw"), "a *** b ***");
    EXPECT_EQ(redact("nothing here", "pw"), "nothing here");
    EXPECT_EQ(redact("keep", ""), "keep");
    EXPECT_EQ(redact("***x", "*"), "*********x");  // a secret inside its own replacement does not loop
}

class EnvGuard {
public:
    explicit EnvGuard(const char* name) : name_(name) {
        if (const char* v = std::getenv(name)) saved_ = v;
    }
    ~EnvGuard() {
        if (saved_) ::setenv(name_, saved_->c_str(), 1); else ::unsetenv(name_);
    }
    EnvGuard(const EnvGuard&) = delete;
    EnvGuard& operator=(const EnvGuard&) = delete;

private:
    const char* name_;
    std::optional<std::string> saved_;
};

TEST(ConnectionTarget, ExplicitThenEnvironmentThenDefaults) {
    EnvGuard host("PGHOST"), port("PGPORT"), db("PGDATABASE"), user("PGUSER"), addr("PGHOSTADDR");
    ::unsetenv("PGHOST");
    ::unsetenv("PGPORT");
    ::unsetenv("PGDATABASE");
    ::unsetenv("PGHOSTADDR");
    ::setenv("PGUSER", "envuser", 1);
    EXPECT_EQ(resolve_target("host=h port=1 dbname=d user=u").describe(), "host h, port 1, database d, user u");
    EXPECT_EQ(resolve_target("").describe(), "host local socket, port 5432, database envuser, user envuser");
    ::setenv("PGHOST", "envhost", 1);
    ::setenv("PGPORT", "7777", 1);
    ::setenv("PGDATABASE", "envdb", 1);
    EXPECT_EQ(resolve_target("dbname=mine").describe(), "host envhost, port 7777, database mine, user envuser");
    EXPECT_EQ(resolve_target("postgresql://x@h2:9/z").describe(), "host h2, port 9, database z, user x");
}

TEST(ConnectionSettings, EffectiveConninfoAddsPasswordAndDefaults) {
    EnvGuard timeout("PGCONNECT_TIMEOUT"), app("PGAPPNAME");
    ::unsetenv("PGCONNECT_TIMEOUT");
    ::unsetenv("PGAPPNAME");
    ::setenv("BROTR_UNIT_PG_PASSWORD", "pa ss'", 1);
    const auto s = parse_conninfo(effective_conninfo({"host=h", "BROTR_UNIT_PG_PASSWORD"}));
    EXPECT_EQ(s.at("password"), "pa ss'");
    EXPECT_EQ(s.at("connect_timeout"), "10");
    EXPECT_EQ(s.at("fallback_application_name"), "brotr");
    const auto kept = parse_conninfo(effective_conninfo({"host=h connect_timeout=3 application_name=me", ""}));
    EXPECT_EQ(kept.at("connect_timeout"), "3");
    EXPECT_FALSE(kept.contains("fallback_application_name"));
    EXPECT_FALSE(kept.contains("password"));
    ::unsetenv("BROTR_UNIT_PG_PASSWORD");
    try {
        effective_conninfo({"host=h", "BROTR_UNIT_PG_PASSWORD"});
        FAIL() << "an unset password variable must be an error";
    } catch (const PgError& e) {
        EXPECT_NE(std::string(e.what()).find("BROTR_UNIT_PG_PASSWORD"), std::string::npos);
    }
}

TEST(SchemaFiles, VariantNames) {
    EXPECT_EQ(parse_schema_variant("bigbrotr"), SchemaVariant::bigbrotr);
    EXPECT_EQ(parse_schema_variant("lilbrotr"), SchemaVariant::lilbrotr);
    EXPECT_EQ(parse_schema_variant("BigBrotr"), std::nullopt);
    EXPECT_EQ(parse_schema_variant(""), std::nullopt);
    EXPECT_EQ(to_string(SchemaVariant::lilbrotr), "lilbrotr");
}

// Writes a schema file, creating its directory first.
void put(const std::filesystem::path& path, const std::string& text) {
    std::filesystem::create_directories(path.parent_path());
    test::write_file(path, text);
}

TEST(SchemaFiles, CommonAndVariantInterleavedByFileName) {
    test::TempDir root;
    std::filesystem::create_directories(root.path() / "lilbrotr" / "sub.sql");
    put(root.path() / "common" / "01_c.sql", "c");
    put(root.path() / "common" / "10_b.sql", "b");
    put(root.path() / "lilbrotr" / "02_a.sql", "a");
    put(root.path() / "lilbrotr" / "99_z.sql", "z");
    put(root.path() / "lilbrotr" / "README.md", "not sql");
    put(root.path() / "bigbrotr" / "05_other_variant.sql", "not this variant's");
    const auto files = load_sql_files(root.path(), SchemaVariant::lilbrotr);
    ASSERT_EQ(files.size(), 4u);
    EXPECT_EQ(files[0].name, "common/01_c.sql");
    EXPECT_EQ(files[0].text, "c");
    EXPECT_EQ(files[1].name, "lilbrotr/02_a.sql");
    EXPECT_EQ(files[1].text, "a");
    EXPECT_EQ(files[2].name, "common/10_b.sql");
    EXPECT_EQ(files[3].name, "lilbrotr/99_z.sql");
}

TEST(SchemaFiles, RefusesAmbiguousOrMissingDirectories) {
    test::TempDir root;
    put(root.path() / "common" / "02_x.sql", "x");
    put(root.path() / "bigbrotr" / "02_x.sql", "y");
    EXPECT_THROW(load_sql_files(root.path(), SchemaVariant::bigbrotr), PgError);  // one name in both: which first?
    EXPECT_THROW(load_sql_files(root.path(), SchemaVariant::lilbrotr), PgError);  // no lilbrotr/
    test::TempDir variant_only;
    put(variant_only.path() / "bigbrotr" / "02_x.sql", "x");
    EXPECT_THROW(load_sql_files(variant_only.path(), SchemaVariant::bigbrotr), PgError);  // no common/
    test::TempDir empty;
    std::filesystem::create_directories(empty.path() / "common");
    std::filesystem::create_directories(empty.path() / "bigbrotr");
    EXPECT_THROW(load_sql_files(empty.path(), SchemaVariant::bigbrotr), PgError);  // no .sql inside
}

TEST(SchemaFiles, SqlRootLookup) {
    EnvGuard guard("BROTR_SQL_DIR");
    test::TempDir explicit_root;
    std::filesystem::create_directories(explicit_root.path() / "common");
    std::filesystem::create_directories(explicit_root.path() / "bigbrotr");
    EXPECT_EQ(find_sql_root(explicit_root.path()), explicit_root.path());
    test::TempDir not_a_root;
    EXPECT_THROW(find_sql_root(not_a_root.path()), PgError);
    test::TempDir variant_only;
    std::filesystem::create_directories(variant_only.path() / "bigbrotr");
    EXPECT_THROW(find_sql_root(variant_only.path()), PgError);
    ::setenv("BROTR_SQL_DIR", explicit_root.path().c_str(), 1);
    EXPECT_EQ(find_sql_root(std::nullopt), explicit_root.path());
    // Without hints, the source tree this binary was built from.
    ::unsetenv("BROTR_SQL_DIR");
    const auto found = find_sql_root(std::nullopt);
    EXPECT_TRUE(std::filesystem::exists(found / "common" / "03_tables.sql")) << found;
    EXPECT_TRUE(std::filesystem::exists(found / "bigbrotr" / "02_events.sql")) << found;
    EXPECT_TRUE(std::filesystem::exists(found / "lilbrotr" / "02_events.sql")) << found;
}

TEST(SchemaFiles, BothVariantsShareCommonAndDifferInTheSameFiles) {
    // The variants may differ only in what each variant directory holds, and
    // both override the same steps, so they apply in the same order.
    const auto root = find_sql_root(std::nullopt);
    const auto big = load_sql_files(root, SchemaVariant::bigbrotr);
    const auto lil = load_sql_files(root, SchemaVariant::lilbrotr);
    ASSERT_EQ(big.size(), lil.size());
    for (std::size_t i = 0; i < big.size(); ++i) {
        const auto big_name = std::filesystem::path(big[i].name);
        const auto lil_name = std::filesystem::path(lil[i].name);
        EXPECT_EQ(big_name.filename(), lil_name.filename());
        if (big_name.parent_path() == "common") {
            EXPECT_EQ(lil_name.parent_path(), "common") << lil[i].name;
            EXPECT_EQ(big[i].text, lil[i].text) << big[i].name;
        } else {
            EXPECT_EQ(big_name.parent_path(), "bigbrotr") << big[i].name;
            EXPECT_EQ(lil_name.parent_path(), "lilbrotr") << lil[i].name;
        }
    }
}

}  // namespace
}  // namespace brotr::pg
