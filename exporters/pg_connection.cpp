#include "exporters/pg_connection.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <map>
#include <vector>

#include "exporters/pg_conninfo.hpp"

namespace brotr::pg {
namespace {

std::string env_or(const char* name, std::string fallback = {}) {
    const char* value = std::getenv(name);
    return value != nullptr && *value != '\0' ? std::string(value) : fallback;
}

std::string os_user_name() {
    if (const passwd* pw = ::getpwuid(::geteuid()); pw != nullptr && pw->pw_name != nullptr) return pw->pw_name;
    return "unknown";
}

// libpq reports one problem per line, with tab-indented hints: one line.
std::string single_line(std::string text) {
    std::string out;
    bool pending_space = false;
    for (char c : text) {
        if (c == '\n' || c == '\r' || c == '\t') {
            pending_space = !out.empty();
            continue;
        }
        if (pending_space && c != ' ') out += ' ';
        pending_space = false;
        out += c;
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

}  // namespace

std::string ConnectionTarget::describe() const {
    return "host " + host + ", port " + port + ", database " + dbname + ", user " + user;
}

ConnectionTarget resolve_target(const std::string& conninfo) {
    const auto given = parse_conninfo(conninfo);
    // libpq's precedence: the string, then its environment variables, then built-in defaults.
    auto pick = [&](const char* key, const char* env_name) {
        const auto it = given.find(key);
        return it != given.end() && !it->second.empty() ? it->second : env_or(env_name);
    };
    ConnectionTarget target;
    target.host = pick("host", "PGHOST");
    if (target.host.empty()) target.host = pick("hostaddr", "PGHOSTADDR");
    if (target.host.empty()) target.host = "local socket";
    target.port = pick("port", "PGPORT");
    if (target.port.empty()) target.port = "5432";
    target.user = pick("user", "PGUSER");
    if (target.user.empty()) target.user = os_user_name();
    target.dbname = pick("dbname", "PGDATABASE");
    if (target.dbname.empty()) target.dbname = target.user;
    return target;
}

namespace {

std::string password_from_env(const ConnectionSettings& settings) {
    const char* password = std::getenv(settings.password_env.c_str());
    if (password == nullptr || *password == '\0')
        throw PgError("environment variable " + settings.password_env +
                      " (which should hold the PostgreSQL password) is not set");
    return password;
}

}  // namespace

std::string effective_conninfo(const ConnectionSettings& settings) {
    const auto given = parse_conninfo(settings.conninfo);
    std::string conninfo = settings.conninfo;
    if (!settings.password_env.empty())
        conninfo = with_conninfo_setting(std::move(conninfo), "password", password_from_env(settings));
    if (!given.contains("connect_timeout") && env_or("PGCONNECT_TIMEOUT").empty() &&
        settings.connect_timeout_seconds > 0)
        conninfo = with_conninfo_setting(std::move(conninfo), "connect_timeout",
                                         std::to_string(settings.connect_timeout_seconds));
    if (!given.contains("application_name") && !given.contains("fallback_application_name") &&
        env_or("PGAPPNAME").empty())
        conninfo = with_conninfo_setting(std::move(conninfo), "fallback_application_name", "brotr");
    return conninfo;
}

std::unique_ptr<pqxx::connection> connect(const ConnectionSettings& settings) {
    const std::string conninfo = effective_conninfo(settings);
    // Everything that may be a password, to keep it out of the message.
    std::vector<std::string> secrets = conninfo_password_tokens(settings.conninfo);
    if (!settings.password_env.empty()) secrets.push_back(password_from_env(settings));
    if (const std::string env_password = env_or("PGPASSWORD"); !env_password.empty())
        secrets.push_back(env_password);
    try {
        return std::make_unique<pqxx::connection>(conninfo);
    } catch (const std::exception& e) {
        std::string message = "cannot connect to PostgreSQL (" + resolve_target(settings.conninfo).describe() +
                              "): " + single_line(e.what());
        for (const auto& secret : secrets) message = redact(std::move(message), secret);
        throw PgError(message);
    }
}

std::string redact(std::string text, std::string_view secret) {
    if (secret.empty()) return text;
    for (std::size_t pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos + 3))
        text.replace(pos, secret.size(), "***");
    return text;
}

NoticeForwarder::NoticeForwarder(pqxx::connection_base& connection, std::function<void(std::string_view)> sink)
    : pqxx::errorhandler(connection), sink_(std::move(sink)) {}

bool NoticeForwarder::operator()(const char message[]) noexcept {
    try {
        std::string_view text(message);
        while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
        if (!text.empty()) sink_(text);
    } catch (...) {
        // A failing sink must not break the connection's notice processing.
    }
    return false;  // handled: older handlers (and stderr) stay quiet
}

}  // namespace brotr::pg
