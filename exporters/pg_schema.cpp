// The schema of a variant is sql/common/*.sql plus sql/<variant>/*.sql,
// applied as one list sorted by file name (not by directory): the number
// prefixes interleave the two, so a variant's events table (02_events.sql)
// lands after the functions it uses and before the tables that refer to it.
// A file name may exist in only one of the two directories, since two files
// of one name would have no defined order. sql/README.md states the same
// rule for psql users, and tests/pg/schema-catalog.sh follows it.
#include "exporters/pg_schema.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <system_error>

#include <pqxx/result>
#include <pqxx/transaction>

#include "exporters/pg_connection.hpp"
#include "exporters/pg_schema_contract.hpp"

namespace fs = std::filesystem;

namespace brotr::pg {

std::string_view to_string(SchemaVariant variant) {
    return variant == SchemaVariant::bigbrotr ? "bigbrotr" : "lilbrotr";
}

std::optional<SchemaVariant> parse_schema_variant(std::string_view name) {
    if (name == "bigbrotr") return SchemaVariant::bigbrotr;
    if (name == "lilbrotr") return SchemaVariant::lilbrotr;
    return std::nullopt;
}

namespace {

constexpr std::string_view kCommonDir = "common";

bool is_sql_root(const fs::path& dir) {
    std::error_code ec;
    return fs::is_directory(dir / kCommonDir, ec) &&
           (fs::is_directory(dir / "bigbrotr", ec) || fs::is_directory(dir / "lilbrotr", ec));
}

std::optional<fs::path> installed_sql_root() {
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (ec) return std::nullopt;
    return exe.parent_path().parent_path() / "share" / "brotr" / "sql";
}

// The sql/ directory of the source tree this binary was built from (set by CMakeLists.txt).
fs::path source_tree_sql_root() { return fs::path(BROTR_SOURCE_SQL_DIR); }

std::string read_whole_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw PgError("cannot read " + path.string());
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The *.sql files of sql_root/sub, named "sub/<file>".
void add_sql_files(const fs::path& sql_root, std::string_view sub, std::vector<SqlFile>& files) {
    const fs::path dir = sql_root / sub;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw PgError("schema directory " + dir.string() + " does not exist");
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        if (!entry.is_regular_file() || entry.path().extension() != ".sql") continue;
        files.push_back({std::string(sub) + "/" + entry.path().filename().string(), read_whole_file(entry.path())});
    }
    if (ec) throw PgError("cannot list " + dir.string() + ": " + ec.message());
}

std::string file_name(const SqlFile& file) { return fs::path(file.name).filename().string(); }

}  // namespace

fs::path find_sql_root(const std::optional<fs::path>& explicit_dir) {
    if (explicit_dir) {
        if (!is_sql_root(*explicit_dir))
            throw PgError("--sql-dir " + explicit_dir->string() +
                          " is not a schema directory (it needs common/ and bigbrotr/ or lilbrotr/)");
        return *explicit_dir;
    }
    std::vector<fs::path> candidates;
    if (const char* env = std::getenv("BROTR_SQL_DIR"); env != nullptr && *env != '\0') candidates.emplace_back(env);
    if (auto installed = installed_sql_root()) candidates.push_back(*installed);
    candidates.push_back(source_tree_sql_root());
    std::string tried;
    for (const auto& dir : candidates) {
        if (is_sql_root(dir)) return dir;
        tried += (tried.empty() ? "" : ", ") + dir.string();
    }
    throw PgError("schema files not found (tried " + tried + "); pass --sql-dir or set BROTR_SQL_DIR");
}

std::vector<SqlFile> load_sql_files(const fs::path& sql_root, SchemaVariant variant) {
    std::vector<SqlFile> files;
    add_sql_files(sql_root, kCommonDir, files);
    add_sql_files(sql_root, to_string(variant), files);
    if (files.empty())
        throw PgError("schema directories " + (sql_root / kCommonDir).string() + " and " +
                      (sql_root / to_string(variant)).string() + " hold no .sql file");
    std::sort(files.begin(), files.end(),
              [](const SqlFile& a, const SqlFile& b) { return file_name(a) < file_name(b); });
    for (std::size_t i = 1; i < files.size(); ++i)
        if (file_name(files[i - 1]) == file_name(files[i]))
            throw PgError("schema files " + files[i - 1].name + " and " + files[i].name +
                          " share a name, so their order is undefined; rename one");
    return files;
}

void apply_sql_files(pqxx::connection_base& connection, const std::vector<SqlFile>& files) {
    pqxx::work tx(connection, "brotr_schema");
    // "already exists, skipping" on every re-run is expected, not news.
    tx.exec("SET LOCAL client_min_messages = warning");
    for (const auto& file : files) {
        try {
            tx.exec(file.text);
        } catch (const pqxx::sql_error& e) {
            std::string message = e.what();
            while (!message.empty() && message.back() == '\n') message.pop_back();
            throw PgError(file.name + ": " + message);
        }
    }
    tx.commit();
}

namespace {

struct Catalog {
    std::set<std::string> extensions;
    std::set<std::string> indexes;
    // relation name -> (column name -> type); tables and views apart
    std::map<std::string, std::map<std::string, std::string>> tables, views;
    // function name -> every (argument types, result type) overload
    std::multimap<std::string, std::pair<std::string, std::string>> functions;
};

Catalog read_catalog(pqxx::connection_base& connection) {
    pqxx::read_transaction tx(connection, "brotr_schema_check");
    Catalog catalog;
    for (const auto& row : tx.exec("SELECT extname FROM pg_extension")) catalog.extensions.insert(row[0].c_str());
    for (const auto& row : tx.exec("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"))
        catalog.indexes.insert(row[0].c_str());
    for (const auto& row : tx.exec(
             "SELECT c.relname, c.relkind, a.attname, format_type(a.atttypid, a.atttypmod) "
             "FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid "
             "WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p', 'v') "
             "AND a.attnum > 0 AND NOT a.attisdropped")) {
        auto& relations = row[1].as<std::string>() == "v" ? catalog.views : catalog.tables;
        relations[row[0].c_str()][row[2].c_str()] = row[3].c_str();
    }
    for (const auto& row : tx.exec("SELECT proname, oidvectortypes(proargtypes), pg_get_function_result(oid) "
                                   "FROM pg_proc WHERE pronamespace = current_schema()::regnamespace"))
        catalog.functions.emplace(row[0].c_str(), std::make_pair(row[1].as<std::string>(), row[2].as<std::string>()));
    return catalog;
}

void check_relations(const char* kind, const std::vector<RelationSpec>& expected,
                     const std::map<std::string, std::map<std::string, std::string>>& found,
                     std::vector<std::string>& problems) {
    for (const auto& relation : expected) {
        const auto it = found.find(std::string(relation.name));
        if (it == found.end()) {
            problems.push_back("missing " + std::string(kind) + " " + std::string(relation.name));
            continue;
        }
        for (const auto& column : relation.columns) {
            const std::string qualified = std::string(relation.name) + "." + std::string(column.name);
            const auto col = it->second.find(std::string(column.name));
            if (col == it->second.end())
                problems.push_back("missing column " + qualified + " (" + std::string(column.type) + ")");
            else if (col->second != column.type)
                problems.push_back("wrong type of column " + qualified + ": " + col->second + ", expected " +
                                   std::string(column.type));
        }
    }
}

}  // namespace

std::vector<std::string> check_schema(pqxx::connection_base& connection, SchemaVariant variant) {
    const SchemaContract& contract = schema_contract(variant);
    const Catalog catalog = read_catalog(connection);
    std::vector<std::string> problems;

    for (const auto& extension : contract.extensions)
        if (!catalog.extensions.contains(std::string(extension)))
            problems.push_back("missing extension " + std::string(extension));
    check_relations("table", contract.tables, catalog.tables, problems);
    for (const auto& relation : contract.foreign_columns) {
        const auto it = catalog.tables.find(std::string(relation.name));
        if (it == catalog.tables.end()) continue;
        for (const auto& column : relation.columns)
            if (it->second.contains(std::string(column.name)))
                problems.push_back("unexpected column " + std::string(relation.name) + "." + std::string(column.name) +
                                   ": not part of the " + std::string(to_string(variant)) +
                                   " schema (is this database of the other variant?)");
    }
    for (const auto& index : contract.indexes)
        if (!catalog.indexes.contains(std::string(index))) problems.push_back("missing index " + std::string(index));
    for (const auto& function : contract.functions) {
        const auto [first, last] = catalog.functions.equal_range(std::string(function.name));
        const bool found = std::any_of(first, last, [&](const auto& overload) {
            return overload.second.first == function.argument_types && overload.second.second == function.result_type;
        });
        if (!found)
            problems.push_back("missing function " + std::string(function.name) + "(" + std::string(function.argument_types) +
                               ") returning " + std::string(function.result_type));
    }
    check_relations("view", contract.views, catalog.views, problems);
    return problems;
}

}  // namespace brotr::pg
