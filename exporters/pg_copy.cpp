#include "exporters/pg_copy.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <cstdlib>
#include <memory>

#include <pqxx/except>
#include <pqxx/largeobject>

namespace brotr::pg {
namespace {

constexpr char kBinaryHeader[] = "PGCOPY\n\377\r\n";  // + the terminating NUL: 11 bytes
constexpr std::size_t kChunkBytes = 1u << 20;

// libpqxx 6.4 keeps the libpq handle to itself; its large-object class hands
// it to subclasses (a protected static), which is the supported way in.
struct RawConnection : pqxx::largeobject {
    static PGconn* of(const pqxx::dbtransaction& tx) { return raw_connection(tx); }
};

std::string trimmed(const char* message) {
    std::string text = message != nullptr ? message : "";
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
}

[[noreturn]] void throw_failure(PGconn* conn, const std::string& message, const std::string& query,
                                const char* sqlstate) {
    if (PQstatus(conn) == CONNECTION_BAD) throw pqxx::broken_connection(message);
    throw pqxx::sql_error(message, query, sqlstate);
}

// Reads results until libpq has none left, so the connection is idle again
// for libpqxx; throws for the first error among them. Returns the number of
// rows the command reported.
std::uint64_t finish_results(PGconn* conn, const std::string& query) {
    std::string error;
    std::string sqlstate;
    std::uint64_t rows = 0;
    while (PGresult* raw = PQgetResult(conn)) {
        std::unique_ptr<PGresult, decltype(&PQclear)> result(raw, &PQclear);
        const auto status = PQresultStatus(raw);
        if (status == PGRES_COPY_IN) {
            // Only after a failed PQputCopyData: end the COPY so the session can go on.
            PQputCopyEnd(conn, "aborted by client");
            continue;
        }
        if (status == PGRES_COMMAND_OK) {
            const char* tuples = PQcmdTuples(raw);
            if (tuples != nullptr && *tuples != '\0') rows = std::strtoull(tuples, nullptr, 10);
        }
        if (error.empty() && status != PGRES_COMMAND_OK) {
            error = trimmed(PQresultErrorMessage(raw));
            if (const char* state = PQresultErrorField(raw, PG_DIAG_SQLSTATE)) sqlstate = state;
            if (error.empty()) error = trimmed(PQerrorMessage(conn));
        }
        if (PQstatus(conn) == CONNECTION_BAD) break;
    }
    if (!error.empty()) throw_failure(conn, error, query, sqlstate.empty() ? nullptr : sqlstate.c_str());
    return rows;
}

void discard_results(PGconn* conn) {
    while (PGresult* raw = PQgetResult(conn)) {
        PQclear(raw);
        if (PQstatus(conn) == CONNECTION_BAD) break;
    }
}

}  // namespace

std::string_view to_string(CopyFormat format) { return format == CopyFormat::binary ? "binary" : "text"; }

// ---- binary ----------------------------------------------------------------

BinaryCopyBuffer::BinaryCopyBuffer() {
    data_.assign(kBinaryHeader, sizeof kBinaryHeader);  // signature incl. its NUL byte
    put_be32(0);                                        // flags: no OIDs
    put_be32(0);                                        // header extension length
}

void BinaryCopyBuffer::start_row(std::uint16_t fields) {
    const char be[2] = {static_cast<char>(fields >> 8), static_cast<char>(fields)};
    data_.append(be, 2);
}

std::string BinaryCopyBuffer::finish() {
    data_.append("\xFF\xFF", 2);  // trailer: field count -1
    std::string out = std::move(data_);
    *this = BinaryCopyBuffer();
    return out;
}

// ---- text ------------------------------------------------------------------

void TextCopyBuffer::add_bytes(std::span<const std::uint8_t> bytes) {
    static constexpr char kHex[] = "0123456789abcdef";
    separate();
    data_.append("\\\\x");
    const std::size_t at = data_.size();
    data_.resize(at + bytes.size() * 2);
    char* out = data_.data() + at;
    for (std::uint8_t b : bytes) {
        *out++ = kHex[b >> 4];
        *out++ = kHex[b & 15];
    }
}

void TextCopyBuffer::append_escaped(std::string_view text) {
    std::size_t plain = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        char escape = 0;
        switch (c) {
            case '\\': escape = '\\'; break;
            case '\t': escape = 't'; break;
            case '\n': escape = 'n'; break;
            case '\r': escape = 'r'; break;
            default: continue;
        }
        data_.append(text.substr(plain, i - plain));
        data_.push_back('\\');
        data_.push_back(escape);
        plain = i + 1;
    }
    data_.append(text.substr(plain));
}

std::string TextCopyBuffer::finish() {
    std::string out = std::move(data_);
    data_.clear();
    scratch_.clear();
    rows_ = 0;
    first_field_ = true;
    return out;
}

// ---- sending ---------------------------------------------------------------

std::uint64_t copy_in(pqxx::dbtransaction& tx, std::string_view table, std::string_view columns, CopyFormat format,
                      std::string_view data) {
    PGconn* conn = RawConnection::of(tx);
    std::string query = "COPY ";
    query.append(table).append(" (").append(columns).append(") FROM STDIN");
    if (format == CopyFormat::binary) query += " (FORMAT binary)";

    PGresult* started = PQexec(conn, query.c_str());
    {
        std::unique_ptr<PGresult, decltype(&PQclear)> result(started, &PQclear);
        if (started == nullptr || PQresultStatus(started) != PGRES_COPY_IN) {
            const char* state = started != nullptr ? PQresultErrorField(started, PG_DIAG_SQLSTATE) : nullptr;
            std::string message = trimmed(started != nullptr ? PQresultErrorMessage(started) : PQerrorMessage(conn));
            if (message.empty()) message = trimmed(PQerrorMessage(conn));
            std::string sqlstate = state != nullptr ? state : "";
            result.reset();
            discard_results(conn);
            throw_failure(conn, message, query, sqlstate.empty() ? nullptr : sqlstate.c_str());
        }
    }
    for (std::size_t at = 0; at < data.size(); at += kChunkBytes) {
        const std::size_t n = std::min(kChunkBytes, data.size() - at);
        if (PQputCopyData(conn, data.data() + at, static_cast<int>(n)) != 1) {
            const std::string message = trimmed(PQerrorMessage(conn));
            finish_results(conn, query);
            throw_failure(conn, message, query, nullptr);
        }
    }
    if (PQputCopyEnd(conn, nullptr) != 1) {
        const std::string message = trimmed(PQerrorMessage(conn));
        finish_results(conn, query);
        throw_failure(conn, message, query, nullptr);
    }
    return finish_results(conn, query);
}

}  // namespace brotr::pg
