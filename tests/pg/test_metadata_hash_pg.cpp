// Byte equality with the real PostgreSQL: the canonical jsonb text against
// `$1::jsonb::text`, and the NIP-11 / NIP-66 ids against compute_nip11_hash /
// compute_nip66_hash, for hand-picked edge cases and for random documents.
#include <gtest/gtest.h>

#include <optional>
#include <random>
#include <string>
#include <vector>

#include <pqxx/transaction>

#include "brotr/hex.hpp"
#include "brotr/metadata.hpp"
#include "model/jsonb_text.hpp"
#include "model/metadata_hash.hpp"
#include "pg_schema_fixture.hpp"

namespace brotr::test {
namespace {

// PostgreSQL's canonical text of `json`, or nullopt when it refuses the input.
std::optional<std::string> postgres_jsonb_text(pqxx::connection_base& conn, const std::string& json) {
    try {
        pqxx::work tx(conn);
        const auto row = tx.exec_params1("SELECT $1::jsonb::text", json);
        return row[0].as<std::string>();
    } catch (const pqxx::data_exception&) {
        return std::nullopt;
    }
}

std::optional<std::string> ours(const std::string& json) {
    try {
        return to_jsonb_text(json);
    } catch (const JsonbError&) {
        return std::nullopt;
    }
}

const char* c_str_or_null(const std::optional<std::string>& value) { return value ? value->c_str() : nullptr; }

std::string postgres_nip11_hash(pqxx::connection_base& conn, const Nip11& d) {
    pqxx::work tx(conn);
    return tx
        .exec_params1("SELECT encode(compute_nip11_hash($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $11, "
                      "$12::jsonb, $13::jsonb), 'hex')",
                      c_str_or_null(d.name), c_str_or_null(d.description), c_str_or_null(d.banner),
                      c_str_or_null(d.icon), c_str_or_null(d.pubkey), c_str_or_null(d.contact),
                      c_str_or_null(d.supported_nips), c_str_or_null(d.software), c_str_or_null(d.version),
                      c_str_or_null(d.privacy_policy), c_str_or_null(d.terms_of_service),
                      c_str_or_null(d.limitation), c_str_or_null(d.extra_fields))[0]
        .as<std::string>();
}

std::string postgres_nip66_hash(pqxx::connection_base& conn, const Nip66& r) {
    auto opt = [](const std::optional<std::int32_t>& v) {
        return v ? std::optional<std::string>(std::to_string(*v)) : std::nullopt;
    };
    const auto open = opt(r.rtt_open), read = opt(r.rtt_read), write = opt(r.rtt_write);
    pqxx::work tx(conn);
    return tx
        .exec_params1("SELECT encode(compute_nip66_hash($1, $2, $3, $4::integer, $5::integer, $6::integer), 'hex')",
                      r.openable, r.readable, r.writable, c_str_or_null(open), c_str_or_null(read),
                      c_str_or_null(write))[0]
        .as<std::string>();
}

using MetadataHashPg = BigSchemaTest;

TEST_F(MetadataHashPg, CanonicalTextOfEdgeCases) {
    std::vector<std::string> inputs = {
        // objects: key order, duplicates, empty keys, nesting
        R"({"b":1,"a":2,"aa":3,"":4,"B":5})", R"({"a":1,"a":2})", R"({"x":{"a":1,"a":{"z":0,"y":[]}}})",
        R"({"é":1,"z":2,"zz":3,"ÿ":4,"€":5})", R"({"k\"ey":1,"k\\ey":2,"k\ney":3})", "{}", "[]", "[[],[{}],{}]",
        // strings: escapes, control characters, non-ASCII
        R"("plain")", R"("q\" b\\ s\/ \b\f\n\r\t")", R"("\u0001\u0002\u001F\u001e\u007F\u0080")",
        R"("\u00e9\u00E9\u4e2d\u6587\u2028\u2029\ufeff")", R"("\ud83d\ude00 \uD834\uDD1E")",
        "\"caf\xC3\xA9 \xE4\xB8\xAD \xF0\x9F\x98\x80 \x7F\"", R"("")", R"("   ")",
        // numbers
        "0", "-0", "-0.0", "0.0", "1", "-1", "1.0", "1.50", "0.10", "0.001", "1e0", "1E1", "1e-1", "1E+2",
        "12.34e5", "-12.34e-5", "1.5e-3", "100e-5", "1.50e1", "9223372036854775807", "9223372036854775808",
        "-9223372036854775809", "18446744073709551616", "1e100", "1.23456789012345678901234567890",
        "5e-324", "1.7976931348623157e308", "0.0000e10", "0e-5", "0e1000000", "1e400", "1e-400",
        "123456789e-20", "1e16383", "1e-16383", "1e-16384", "0e-16383", "0e-16384", "1e131071", "1e131072",
        "-1e131071", "1e2147483647", "1e-2147483648", "1e1073741822", "1e1073741823",
        // literals and whitespace
        "true", "false", "null", " \t\n\r[ true ,false , null ] \n",
        // invalid for both
        "", "{", "[1,]", "01", "-", "1.", ".5", "+1", "NaN", "Infinity", "tru", "[1] x", R"("\u0000")",
        R"("a\u0000b")", R"("\ud83d")", R"("\ude00")", R"("\ud83d\u0041")", R"("\x")", "\"a\tb\"",
        "\"\xC3\x28\"", "\"\xED\xA0\x80\"", "\"\xF4\x90\x80\x80\"", "{\"a\" 1}", "[1 2]", "'a'",
    };
    for (const auto& input : inputs) {
        const auto expected = postgres_jsonb_text(conn(), input);
        const auto got = ours(input);
        ASSERT_EQ(got.has_value(), expected.has_value())
            << "input " << input << ": PostgreSQL " << (expected ? "accepts" : "refuses") << " it, we "
            << (got ? "accept" : "refuse") << " it";
        if (expected) {
            EXPECT_EQ(*got, *expected) << "input " << input;
        }
    }
}

// Random JSON with the features that matter: key sets with shared lengths
// and prefixes, repeated keys, escapes, non-ASCII, and varied number forms.
class RandomJson {
public:
    explicit RandomJson(unsigned seed) : rng_(seed) {}

    std::string document() { return value(0); }

private:
    int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }

    std::string string_literal() {
        static const std::vector<std::string> pieces = {
            "a", "b", "ab", "ba", "Z", "0", " ", "\\\"", "\\\\", "\\/", "\\n", "\\t", "\\b", "\\f", "\\r",
            "\\u0001", "\\u001f", "\\u007f", "\\u00e9", "\\u20ac", "\\ud83d\\ude00", "\xC3\xA9", "\xE2\x82\xAC",
            "\xF0\x9F\x98\x80", "\x7F", "/", "'", "name", "key"};
        std::string s = "\"";
        const int n = pick(5);
        for (int i = 0; i < n; ++i) s += pieces[static_cast<std::size_t>(pick(static_cast<int>(pieces.size())))];
        return s + "\"";
    }

    std::string number() {
        std::string s;
        if (pick(3) == 0) s += '-';
        const int int_digits = 1 + pick(25);
        if (pick(4) == 0) {
            s += '0';
        } else {
            s += static_cast<char>('1' + pick(9));
            for (int i = 1; i < int_digits; ++i) s += static_cast<char>('0' + pick(10));
        }
        if (pick(2) == 0) {
            s += '.';
            const int frac = 1 + pick(12);
            for (int i = 0; i < frac; ++i) s += static_cast<char>('0' + pick(10));
        }
        if (pick(3) == 0) {
            s += "eE"[pick(2)];
            if (pick(2) == 0) s += "+-"[pick(2)];
            s += std::to_string(pick(40));
        }
        return s;
    }

    std::string value(int depth) {
        const int choice = depth >= 4 ? pick(4) : pick(6);
        switch (choice) {
            case 0: return string_literal();
            case 1: return number();
            case 2: return std::vector<std::string>{"true", "false", "null"}[static_cast<std::size_t>(pick(3))];
            case 3: return pick(2) == 0 ? string_literal() : number();
            case 4: {
                std::string s = "[";
                const int n = pick(5);
                for (int i = 0; i < n; ++i) s += (i ? ", " : "") + value(depth + 1);
                return s + "]";
            }
            default: {
                std::string s = "{";
                const int n = pick(6);
                for (int i = 0; i < n; ++i) s += std::string(i ? "," : "") + string_literal() + ":" + value(depth + 1);
                return s + "}";
            }
        }
    }

    std::mt19937 rng_;
};

TEST_F(MetadataHashPg, CanonicalTextOfRandomDocuments) {
    constexpr unsigned kSeed = 20240611;
    RandomJson generator(kSeed);
    for (int i = 0; i < 400; ++i) {
        const std::string input = generator.document();
        const auto expected = postgres_jsonb_text(conn(), input);
        ASSERT_TRUE(expected.has_value()) << "generator produced invalid JSON: " << input;
        EXPECT_EQ(ours(input), expected) << "seed " << kSeed << " document " << i << ": " << input;
    }
}

TEST_F(MetadataHashPg, Nip11IdsEqualComputeNip11Hash) {
    std::vector<Nip11> docs;
    docs.push_back(Nip11{});  // all NULL
    Nip11 empty_strings;
    empty_strings.name = empty_strings.description = empty_strings.banner = empty_strings.icon = "";
    empty_strings.pubkey = empty_strings.contact = empty_strings.software = empty_strings.version = "";
    empty_strings.privacy_policy = empty_strings.terms_of_service = "";
    empty_strings.supported_nips = "[]";
    empty_strings.limitation = empty_strings.extra_fields = "{}";
    docs.push_back(empty_strings);
    Nip11 typical;
    typical.name = "relay.example";
    typical.description = "A relay.\nSecond line with \"quotes\", a tab\tand a backslash \\.";
    typical.pubkey = "3bf0c63fcb93463407af97a5e5ee64fa883d107ef9e558472c4eb9aaaefa459d";
    typical.contact = "mailto:admin@relay.example";
    typical.supported_nips = "[1, 2, 4, 9, 11, 22, 28, 40, 70]";
    typical.software = "git+https://github.com/example/relay.git";
    typical.version = "1.2.3";
    typical.limitation =
        R"({"max_message_length":524288,"max_subscriptions":20,"auth_required":false,"payment_required":false,)"
        R"("min_pow_difficulty":0,"created_at_lower_limit":0})";
    typical.extra_fields = R"({"relay_countries":["CA","US"],"language_tags":["en"],"fees":{"admission":[{"amount":)"
                           R"(1000000,"unit":"msats"}]},"posting_policy":"https://relay.example/policy"})";
    docs.push_back(typical);
    Nip11 unusual;
    unusual.name = "\xE4\xB8\xAD\xE6\x96\x87\xE3\x83\xAA\xE3\x83\xAC\xE3\x83\xBC \xF0\x9F\x98\x80";
    unusual.description = std::string("ctl \x01\x02\x1f del \x7f / end");
    unusual.icon = "https://relay.example/icon.png?x=1&y=\xC3\xA9";
    unusual.supported_nips = R"([1, 1.0, 1.50, -0, 2e1, 1e-2, "11", null, 123456789012345678901234567890])";
    unusual.limitation = R"({"b":{"y":2,"x":1,"x":3},"a":[{"z":null,"": true}],"max":1e3})";
    unusual.extra_fields = R"({"\u00e9t\u00e9":"\ud83d\ude00","k\"q":"\u001f","":{}})";
    unusual.terms_of_service = "https://relay.example/tos";
    docs.push_back(unusual);
    Nip11 json_null;
    json_null.supported_nips = "null";  // JSON null, not SQL NULL: prints the same
    json_null.limitation = "  {\n  }  ";
    docs.push_back(json_null);

    for (std::size_t i = 0; i < docs.size(); ++i) {
        const auto text = nip11_hash_text(docs[i]);
        EXPECT_EQ(to_hex(compute_nip11_id(docs[i])), postgres_nip11_hash(conn(), docs[i]))
            << "document " << i << ", our text: " << text;
    }
}

TEST_F(MetadataHashPg, Nip66IdsEqualComputeNip66Hash) {
    std::vector<Nip66> results = {
        Nip66{},
        Nip66{true, true, true, 1, 2, 3},
        Nip66{true, false, false, 250, std::nullopt, std::nullopt},
        Nip66{false, true, false, std::nullopt, 0, std::nullopt},
        Nip66{true, true, false, -1, 2147483647, -2147483647 - 1},
    };
    for (std::size_t i = 0; i < results.size(); ++i)
        EXPECT_EQ(to_hex(compute_nip66_id(results[i])), postgres_nip66_hash(conn(), results[i]))
            << "result " << i << ", our text: " << nip66_hash_text(results[i]);
}

TEST_F(MetadataHashPg, HashedTextEqualsJsonbBuildObjectText) {
    Nip11 doc;
    doc.name = "n\xC3\xA9";
    doc.limitation = R"({"b":1,"a":2.50})";
    pqxx::work tx(conn());
    const auto expected = tx.exec_params1("SELECT jsonb_build_object('name', $1::text, 'description', NULL::text, "
                                          "'banner', NULL::text, 'icon', NULL::text, 'pubkey', NULL::text, "
                                          "'contact', NULL::text, 'supported_nips', NULL::jsonb, 'software', "
                                          "NULL::text, 'version', NULL::text, 'privacy_policy', NULL::text, "
                                          "'terms_of_service', NULL::text, 'limitation', $2::jsonb, "
                                          "'extra_fields', NULL::jsonb)::text",
                                          *doc.name, *doc.limitation)[0]
                              .as<std::string>();
    EXPECT_EQ(nip11_hash_text(doc), expected);
}

}  // namespace
}  // namespace brotr::test
