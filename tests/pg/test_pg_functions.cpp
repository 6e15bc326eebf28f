// The schema's functions as other writers call them: tags_to_tagvalues,
// insert_event / insert_relay / insert_relay_metadata (idempotent, hashing)
// and the delete_orphan_* cleanups.
#include <gtest/gtest.h>

#include <string>

#include "brotr/hex.hpp"
#include "brotr/metadata.hpp"
#include "pg_schema_fixture.hpp"

namespace brotr::test {
namespace {

std::string hex_of(char c, int n = 32) { return std::string(static_cast<std::size_t>(n) * 2, c); }

// SELECT insert_event(...) with hex ids and the given tags/content.
std::string insert_event_sql(char id, char pubkey, long long created_at, int kind, const std::string& tags,
                             const std::string& content, const std::string& relay, long long seen_at) {
    return "SELECT insert_event(decode('" + hex_of(id) + "', 'hex'), decode('" + hex_of(pubkey) +
           "', 'hex'), " + std::to_string(created_at) + ", " + std::to_string(kind) + ", '" + tags +
           "'::jsonb, '" + content + "', decode('" + hex_of('f', 64) + "', 'hex'), '" + relay + "', 'clearnet', " +
           "1700000000, " + std::to_string(seen_at) + ")";
}

const std::string kSnapshotSql =
    "SELECT insert_relay_metadata('wss://relay.one', 'clearnet', 1700000000, 1700000100, "
    "TRUE, TRUE, NULL, FALSE, 120, NULL, NULL, "
    "TRUE, 'Relay One', 'd\u00e9sc \"q\"', NULL, NULL, NULL, 'admin@one', '[1, 11]'::jsonb, 'soft', '1.0', "
    "NULL, NULL, '{\"max_limit\": 500, \"auth_required\": false}'::jsonb, '{\"x\": [1.50]}'::jsonb)";

using TagValues = BigSchemaTest;

TEST_F(TagValues, SingleLetterTagValuesInOrder) {
    EXPECT_EQ(value(R"(SELECT tags_to_tagvalues('[["e","id1"],["p","pk1"],["client","x"],["t","nostr"],["e","id2"]]'))"),
              "{id1,pk1,nostr,id2}");
}

TEST_F(TagValues, NullWhenNoSingleLetterTag) {
    EXPECT_EQ(value(R"(SELECT tags_to_tagvalues('[]'))"), std::nullopt);
    EXPECT_EQ(value(R"(SELECT tags_to_tagvalues('[["client","x"],["",""],["ee","v"]]'))"), std::nullopt);
    EXPECT_EQ(value("SELECT tags_to_tagvalues(NULL)"), std::nullopt);
}

TEST_F(TagValues, OneCharacterNotOneByte) {
    // "é" is one character (two bytes) and counts as a single-letter tag.
    EXPECT_EQ(value("SELECT tags_to_tagvalues('[[\"\xC3\xA9\",\"v\"],[\"ab\",\"w\"]]')"), "{v}");
}

TEST_F(TagValues, TagWithoutValueGivesNullElement) {
    EXPECT_EQ(value(R"(SELECT tags_to_tagvalues('[["e"],["p","x","relay","extra"]]'))"), "{NULL,x}");
}

TEST_F(TagValues, GeneratedColumnFollowsTags) {
    exec(insert_event_sql('a', 'b', 1700000000, 1, R"([["t","a"],["t","b"],["alt","x"]])", "hi", "wss://r", 1));
    EXPECT_EQ(value("SELECT tagvalues FROM events"), "{a,b}");
    EXPECT_EQ(rows("SELECT COUNT(*) FROM events WHERE tagvalues @> ARRAY['b']"), 1);
}

using InsertFunctions = BigSchemaTest;

TEST_F(InsertFunctions, InsertEventIsIdempotent) {
    const std::string call = insert_event_sql('a', 'b', 1700000000, 1, R"([["e","x"]])", "hello", "wss://r1", 10);
    exec(call);
    exec(call);
    EXPECT_EQ(rows("events"), 1);
    EXPECT_EQ(rows("relays"), 1);
    EXPECT_EQ(rows("events_relays"), 1);
    EXPECT_EQ(value("SELECT encode(id, 'hex') || ' ' || encode(pubkey, 'hex') || ' ' || created_at || ' ' || kind "
                    "|| ' ' || tags::text || ' ' || content || ' ' || length(sig) FROM events"),
              hex_of('a') + " " + hex_of('b') + " 1700000000 1 [[\"e\", \"x\"]] hello 64");
    EXPECT_EQ(value("SELECT url || ' ' || network || ' ' || inserted_at FROM relays"), "wss://r1 clearnet 1700000000");

    // Same event from a second relay: one more link, the first seen_at kept.
    exec(insert_event_sql('a', 'b', 1700000000, 1, R"([["e","x"]])", "hello", "wss://r2", 20));
    exec(insert_event_sql('a', 'b', 1700000000, 1, R"([["e","x"]])", "hello", "wss://r1", 99));
    EXPECT_EQ(rows("events"), 1);
    EXPECT_EQ(rows("events_relays"), 2);
    EXPECT_EQ(value("SELECT seen_at FROM events_relays WHERE relay_url = 'wss://r1'"), "10");
}

TEST_F(InsertFunctions, InsertRelayIsIdempotent) {
    exec("SELECT insert_relay('wss://a', 'clearnet', 5)");
    exec("SELECT insert_relay('wss://a', 'tor', 6)");
    exec("SELECT insert_relay('ws://b.onion', 'tor', 7)");
    EXPECT_EQ(rows("relays"), 2);
    EXPECT_EQ(value("SELECT network || inserted_at FROM relays WHERE url = 'wss://a'"), "clearnet5");
}

TEST_F(InsertFunctions, InsertRelayMetadataHashesAndDeduplicates) {
    exec(kSnapshotSql);
    exec(kSnapshotSql);
    EXPECT_EQ(rows("relays"), 1);
    EXPECT_EQ(rows("nip11"), 1);
    EXPECT_EQ(rows("nip66"), 1);
    EXPECT_EQ(rows("relay_metadata"), 1);

    // The ids are the hash functions' values over the stored columns, NULL booleans stored as FALSE.
    EXPECT_EQ(rows("SELECT COUNT(*) FROM nip11 WHERE id = compute_nip11_hash(name, description, banner, icon, "
                   "pubkey, contact, supported_nips, software, version, privacy_policy, terms_of_service, "
                   "limitation, extra_fields)"),
              1);
    EXPECT_EQ(value("SELECT openable || ' ' || readable || ' ' || writable || ' ' || rtt_open FROM nip66"),
              "true false false 120");
    EXPECT_EQ(rows("SELECT COUNT(*) FROM nip66 WHERE id = compute_nip66_hash(TRUE, FALSE, FALSE, 120, NULL, NULL)"),
              1);

    // And they equal the ids the store computes for the same values.
    Nip11 doc;
    doc.name = "Relay One";
    doc.description = "d\u00e9sc \"q\"";
    doc.contact = "admin@one";
    doc.supported_nips = "[1, 11]";
    doc.software = "soft";
    doc.version = "1.0";
    doc.limitation = R"({"max_limit": 500, "auth_required": false})";
    doc.extra_fields = R"({"x": [1.50]})";
    EXPECT_EQ(value("SELECT encode(id, 'hex') FROM nip11"), to_hex(compute_nip11_id(doc)));
    EXPECT_EQ(value("SELECT encode(id, 'hex') FROM nip66"),
              to_hex(compute_nip66_id(Nip66{true, false, false, 120, std::nullopt, std::nullopt})));
    EXPECT_EQ(value("SELECT encode(nip11_id, 'hex') || ' ' || encode(nip66_id, 'hex') FROM relay_metadata"),
              to_hex(compute_nip11_id(doc)) + " " +
                  to_hex(compute_nip66_id(Nip66{true, false, false, 120, std::nullopt, std::nullopt})));

    // A later check with the same documents: a new snapshot row, no new document rows.
    std::string later = kSnapshotSql;
    later.replace(later.find("1700000100"), 10, "1700000200");
    exec(later);
    EXPECT_EQ(rows("relay_metadata"), 2);
    EXPECT_EQ(rows("nip11"), 1);
    EXPECT_EQ(rows("nip66"), 1);
}

TEST_F(InsertFunctions, AbsentDocumentsLeaveNullIds) {
    exec("SELECT insert_relay_metadata('wss://r', 'clearnet', 1, 2, FALSE, TRUE, TRUE, TRUE, 1, 2, 3, "
         "FALSE, 'ignored', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)");
    EXPECT_EQ(rows("nip11"), 0);
    EXPECT_EQ(rows("nip66"), 0);
    EXPECT_EQ(rows("SELECT COUNT(*) FROM relay_metadata WHERE nip11_id IS NULL AND nip66_id IS NULL"), 1);
}

using OrphanCleanup = BigSchemaTest;

TEST_F(OrphanCleanup, DeleteOrphanEventsReturnsCount) {
    exec(insert_event_sql('a', 'b', 1, 1, "[]", "x", "wss://r1", 1));
    exec(insert_event_sql('c', 'b', 1, 1, "[]", "x", "wss://r1", 1));
    exec(insert_event_sql('d', 'b', 1, 1, "[]", "x", "wss://r2", 1));
    exec(insert_event_sql('d', 'b', 1, 1, "[]", "x", "wss://r1", 1));
    EXPECT_EQ(value("SELECT delete_orphan_events()"), "0");
    exec("DELETE FROM events_relays WHERE relay_url = 'wss://r1'");
    EXPECT_EQ(value("SELECT delete_orphan_events()"), "2");  // a and c; d is still on r2
    EXPECT_EQ(value("SELECT string_agg(encode(id, 'hex'), ',') FROM events"), hex_of('d'));
    EXPECT_EQ(value("SELECT delete_orphan_events()"), "0");
}

TEST_F(OrphanCleanup, DeleteOrphanDocumentsReturnsCounts) {
    exec(kSnapshotSql);
    exec("SELECT insert_relay_metadata('wss://relay.two', 'clearnet', 1, 2, TRUE, FALSE, FALSE, FALSE, NULL, "
         "NULL, NULL, TRUE, 'Two', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)");
    EXPECT_EQ(value("SELECT delete_orphan_nip11()"), "0");
    EXPECT_EQ(value("SELECT delete_orphan_nip66()"), "0");
    exec("DELETE FROM relay_metadata");
    EXPECT_EQ(value("SELECT delete_orphan_nip11()"), "2");
    EXPECT_EQ(value("SELECT delete_orphan_nip66()"), "2");
    EXPECT_EQ(rows("nip11") + rows("nip66"), 0);
    EXPECT_EQ(value("SELECT delete_orphan_nip11()"), "0");
}

TEST_F(OrphanCleanup, DeletingARelayCascades) {
    exec(insert_event_sql('a', 'b', 1, 1, "[]", "x", "wss://r1", 1));
    exec(kSnapshotSql);
    exec("DELETE FROM relays");
    EXPECT_EQ(rows("events_relays"), 0);
    EXPECT_EQ(rows("relay_metadata"), 0);
    EXPECT_EQ(value("SELECT delete_orphan_events()"), "1");
}

using LilFunctions = LilSchemaTest;

TEST_F(LilFunctions, InsertEventIgnoresTagsAndContent) {
    const std::string call = insert_event_sql('a', 'b', 1700000000, 30023, R"([["d","x"]])", "long text", "wss://r", 5);
    exec(call);
    exec(call);
    EXPECT_EQ(rows("events"), 1);
    EXPECT_EQ(rows("events_relays"), 1);
    EXPECT_EQ(value("SELECT kind || ' ' || created_at || ' ' || length(sig) FROM events"), "30023 1700000000 64");
}

TEST_F(LilFunctions, MetadataAndCleanupWorkAsInTheFullSchema) {
    exec(kSnapshotSql);
    EXPECT_EQ(rows("nip11"), 1);
    EXPECT_EQ(rows("nip66"), 1);
    exec("DELETE FROM relay_metadata");
    EXPECT_EQ(value("SELECT delete_orphan_nip11()"), "1");
    EXPECT_EQ(value("SELECT delete_orphan_nip66()"), "1");
}

}  // namespace
}  // namespace brotr::test
