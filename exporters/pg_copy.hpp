// COPY ... FROM STDIN: building the data in memory (binary or text format)
// and sending it over the connection of a libpqxx transaction in large
// chunks. libpqxx 6.4's stream_to sends one line per call and converts every
// field through strings; writing the wire format directly is several times
// cheaper for the exporter's byte-heavy rows (ids, keys, signatures, JSON).
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

#include <pqxx/dbtransaction>

namespace brotr::pg {

enum class CopyFormat : std::uint8_t { binary, text };

std::string_view to_string(CopyFormat format);

// PostgreSQL's binary COPY format: a signature header, then per row a 16-bit
// field count and per field a 32-bit length (-1 for NULL) and the value in
// the type's binary send format, then a trailer. Integers big-endian.
class BinaryCopyBuffer {
public:
    static constexpr CopyFormat format = CopyFormat::binary;

    BinaryCopyBuffer();

    void start_row(std::uint16_t fields);
    void end_row() { ++rows_; }

    void add_null() { put_be32(0xFFFFFFFFu); }
    void add_bytes(std::span<const std::uint8_t> bytes) {
        put_be32(static_cast<std::uint32_t>(bytes.size()));
        data_.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    }
    // text, varchar: the UTF-8 bytes (PostgreSQL refuses a NUL byte in them).
    void add_text(std::string_view text) {
        put_be32(static_cast<std::uint32_t>(text.size()));
        data_.append(text);
    }
    void add_int8(std::int64_t v) {
        put_be32(8);
        put_be32(static_cast<std::uint32_t>(static_cast<std::uint64_t>(v) >> 32));
        put_be32(static_cast<std::uint32_t>(v));
    }
    void add_int4(std::int32_t v) {
        put_be32(4);
        put_be32(static_cast<std::uint32_t>(v));
    }
    void add_bool(bool v) {
        put_be32(1);
        data_.push_back(v ? '\1' : '\0');
    }
    // jsonb: a version byte (1) and the JSON text, which the server parses.
    void add_jsonb(std::string_view json) {
        put_be32(static_cast<std::uint32_t>(json.size() + 1));
        data_.push_back('\1');
        data_.append(json);
    }
    // A jsonb field written in place: append the JSON text to the returned
    // string, then call end_jsonb(). Saves a copy for large values.
    std::string& begin_jsonb() {
        field_start_ = data_.size();
        put_be32(0);
        data_.push_back('\1');
        return data_;
    }
    void end_jsonb() {
        const auto length = static_cast<std::uint32_t>(data_.size() - field_start_ - 4);
        const unsigned char be[4] = {static_cast<unsigned char>(length >> 24), static_cast<unsigned char>(length >> 16),
                                     static_cast<unsigned char>(length >> 8), static_cast<unsigned char>(length)};
        std::memcpy(data_.data() + field_start_, be, 4);
    }

    std::size_t rows() const { return rows_; }
    bool empty() const { return rows_ == 0; }
    // The complete COPY data (with trailer); the buffer is then empty again.
    std::string finish();
    std::size_t size_bytes() const { return data_.size(); }

private:
    void put_be32(std::uint32_t v) {
        const char be[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
                            static_cast<char>(v)};
        data_.append(be, 4);
    }

    std::string data_;
    std::size_t rows_ = 0;
    std::size_t field_start_ = 0;
};

// PostgreSQL's text COPY format: tab-separated fields, one row per line,
// \N for NULL, backslash escapes for backslash, tab, newline and carriage
// return; bytea in hex (\x..., its backslash escaped again).
class TextCopyBuffer {
public:
    static constexpr CopyFormat format = CopyFormat::text;

    void start_row(std::uint16_t /*fields*/) { first_field_ = true; }
    void end_row() {
        data_.push_back('\n');
        ++rows_;
    }

    void add_null() {
        separate();
        data_.append("\\N");
    }
    void add_bytes(std::span<const std::uint8_t> bytes);
    void add_text(std::string_view text) {
        separate();
        append_escaped(text);
    }
    void add_int8(std::int64_t v) {
        separate();
        data_.append(std::to_string(v));
    }
    void add_int4(std::int32_t v) { add_int8(v); }
    void add_bool(bool v) {
        separate();
        data_.push_back(v ? 't' : 'f');
    }
    void add_jsonb(std::string_view json) { add_text(json); }
    std::string& begin_jsonb() {
        scratch_.clear();
        return scratch_;
    }
    void end_jsonb() { add_text(scratch_); }

    std::size_t rows() const { return rows_; }
    bool empty() const { return rows_ == 0; }
    std::string finish();
    std::size_t size_bytes() const { return data_.size(); }

private:
    void separate() {
        if (!first_field_) data_.push_back('\t');
        first_field_ = false;
    }
    void append_escaped(std::string_view text);

    std::string data_;
    std::string scratch_;
    std::size_t rows_ = 0;
    bool first_field_ = true;
};

// Runs `COPY table (columns) FROM STDIN` in the transaction and sends `data`
// (as produced by one of the buffers' finish()); returns the rows copied.
// Throws pqxx::sql_error with the server's message and SQLSTATE (the
// transaction is then aborted), or pqxx::broken_connection when the
// connection is lost.
std::uint64_t copy_in(pqxx::dbtransaction& tx, std::string_view table, std::string_view columns, CopyFormat format,
                      std::string_view data);

}  // namespace brotr::pg
