// The statistics and latest-metadata views on a small dataset whose figures
// are known by construction.
#include <gtest/gtest.h>

#include <cstdio>
#include <ctime>
#include <string>

#include "pg_schema_fixture.hpp"

namespace brotr::test {
namespace {

std::string hex32(int n) {
    char buf[65];
    std::snprintf(buf, sizeof buf, "%064x", n);
    return buf;
}

template <pg::SchemaVariant V>
class ViewsTest : public PgSchemaTest<V> {
protected:
    // Event number n by author a of kind k, created at t, seen on the relay.
    void event(int n, int author, int kind, long long created_at, const std::string& relay) {
        this->exec("SELECT insert_event(decode('" + hex32(n) + "', 'hex'), decode('" + hex32(1000 + author) +
                   "', 'hex'), " + std::to_string(created_at) + ", " + std::to_string(kind) +
                   ", '[]'::jsonb, '', decode('" + std::string(128, 'e') + "', 'hex'), '" + relay +
                   "', 'clearnet', 100, 200)");
    }
    void snapshot(const std::string& relay, long long generated_at, std::optional<int> rtt_open,
                  std::optional<int> rtt_read, bool with_nip66 = true) {
        auto sql_int = [](std::optional<int> v) { return v ? std::to_string(*v) : std::string("NULL"); };
        this->exec("SELECT insert_relay_metadata('" + relay + "', 'clearnet', 100, " + std::to_string(generated_at) +
                   ", " + (with_nip66 ? "TRUE" : "FALSE") + ", TRUE, TRUE, FALSE, " + sql_int(rtt_open) + ", " +
                   sql_int(rtt_read) + ", NULL, TRUE, 'name at " + std::to_string(generated_at) +
                   "', NULL, NULL, NULL, NULL, NULL, '[1]'::jsonb, NULL, NULL, NULL, NULL, NULL, NULL)");
    }
    long long now() const { return static_cast<long long>(std::time(nullptr)); }
};

using BigViews = ViewsTest<pg::SchemaVariant::bigbrotr>;
using LilViews = ViewsTest<pg::SchemaVariant::lilbrotr>;

TEST_F(BigViews, EventsStatisticsClassesAndWindows) {
    const long long t = now();
    // One event per class boundary; created_at picks the time window.
    event(1, 1, 1, t - 60, "wss://a");              // regular, last hour
    event(2, 1, 2, t - 2 * 3600, "wss://a");        // regular, last 24h
    event(3, 2, 4, t - 2 * 86400, "wss://a");       // regular (4..44), last 7d
    event(4, 2, 44, t - 10 * 86400, "wss://a");     // regular, last 30d
    event(5, 3, 45, t - 40 * 86400, "wss://a");     // no class (45..999), older
    event(6, 3, 1000, t - 60, "wss://a");           // regular
    event(7, 3, 9999, t - 60, "wss://a");           // regular
    event(8, 4, 0, t - 60, "wss://a");              // replaceable
    event(9, 4, 3, t - 60, "wss://a");              // replaceable
    event(10, 4, 10000, t - 60, "wss://a");         // replaceable
    event(11, 4, 19999, t - 60, "wss://a");         // replaceable
    event(12, 5, 20000, t - 60, "wss://a");         // ephemeral
    event(13, 5, 29999, t - 60, "wss://a");         // ephemeral
    event(14, 5, 30000, t - 60, "wss://a");         // addressable
    event(15, 5, 39999, t - 60, "wss://a");         // addressable
    event(16, 5, 40000, 1000, "wss://a");           // no class, oldest
    EXPECT_EQ(this->value("SELECT concat_ws(' ', total_events, unique_pubkeys, unique_kinds, "
                          "earliest_event_timestamp, regular_events, replaceable_events, ephemeral_events, "
                          "addressable_events, events_last_hour, events_last_24h, events_last_7d, events_last_30d) "
                          "FROM events_statistics"),
              "16 5 16 1000 6 4 2 2 11 12 13 14");
    EXPECT_EQ(this->value("SELECT latest_event_timestamp FROM events_statistics"), std::to_string(t - 60));
}

TEST_F(BigViews, EventsStatisticsOnEmptyTables) {
    EXPECT_EQ(this->value("SELECT concat_ws(' ', total_events, unique_pubkeys, regular_events, events_last_30d, "
                          "coalesce(earliest_event_timestamp::text, 'null')) FROM events_statistics"),
              "0 0 0 0 null");
}

TEST_F(BigViews, RelaysStatisticsCountsAndRoundedRtt) {
    event(1, 1, 1, 500, "wss://busy");
    event(2, 1, 1, 700, "wss://busy");
    event(3, 2, 7, 600, "wss://busy");
    event(3, 2, 7, 600, "wss://quiet");
    this->exec("SELECT insert_relay('wss://empty', 'tor', 42)");
    // busy: 12 snapshots with NIP-66; only the last 10 (generated_at 3..12) count.
    for (int i = 1; i <= 12; ++i) snapshot("wss://busy", i, i == 1 || i == 2 ? 10000 : 100 + i, i % 3 == 0 ? 7 : std::optional<int>{});
    // A newer snapshot without NIP-66 does not push one out of the window.
    snapshot("wss://busy", 13, std::nullopt, std::nullopt, false);
    snapshot("wss://quiet", 1, 10, std::nullopt);
    snapshot("wss://quiet", 2, 11, std::nullopt);
    snapshot("wss://quiet", 3, 11, std::nullopt);

    const auto rows = query(this->conn(), "SELECT relay_url, network, inserted_at, event_count, unique_pubkeys, "
                                          "first_event_timestamp, last_event_timestamp, avg_rtt_open, avg_rtt_read, "
                                          "avg_rtt_write FROM relays_statistics ORDER BY relay_url");
    ASSERT_EQ(rows.size(), 3u);
    // busy: rtt_open 103..112 -> mean 107.5; rtt_read 7 at i = 3, 6, 9, 12 -> 7.00
    EXPECT_EQ(rows[0][0].as<std::string>(), "wss://busy");
    EXPECT_EQ(rows[0][3].as<std::string>(), "3");
    EXPECT_EQ(rows[0][4].as<std::string>(), "2");
    EXPECT_EQ(rows[0][5].as<std::string>(), "500");
    EXPECT_EQ(rows[0][6].as<std::string>(), "700");
    EXPECT_EQ(rows[0][7].as<std::string>(), "107.50");
    EXPECT_EQ(rows[0][8].as<std::string>(), "7.00");
    EXPECT_TRUE(rows[0][9].is_null());
    // empty: zero counts, NULL timestamps and averages
    EXPECT_EQ(rows[1][0].as<std::string>(), "wss://empty");
    EXPECT_EQ(rows[1][1].as<std::string>(), "tor");
    EXPECT_EQ(rows[1][2].as<std::string>(), "42");
    EXPECT_EQ(rows[1][3].as<std::string>(), "0");
    EXPECT_EQ(rows[1][4].as<std::string>(), "0");
    EXPECT_TRUE(rows[1][5].is_null());
    EXPECT_TRUE(rows[1][7].is_null());
    // quiet: (10 + 11 + 11) / 3 = 10.666.. -> 10.67
    EXPECT_EQ(rows[2][0].as<std::string>(), "wss://quiet");
    EXPECT_EQ(rows[2][3].as<std::string>(), "1");
    EXPECT_EQ(rows[2][7].as<std::string>(), "10.67");
}

TEST_F(BigViews, RelayMetadataLatestShowsNewestSnapshotAndUncheckedRelays) {
    snapshot("wss://a", 10, 50, 60);
    snapshot("wss://a", 30, 70, std::nullopt);
    snapshot("wss://a", 20, 90, 90);
    this->exec("SELECT insert_relay('wss://never', 'clearnet', 5)");
    const auto rows = query(this->conn(), "SELECT relay_url, generated_at, nip66_rtt_open, nip66_rtt_read, "
                                          "nip66_openable, nip11_name, nip11_supported_nips::text, "
                                          "nip66_id IS NULL, nip11_id IS NULL FROM relay_metadata_latest "
                                          "ORDER BY relay_url");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0][1].as<std::string>(), "30");
    EXPECT_EQ(rows[0][2].as<std::string>(), "70");
    EXPECT_TRUE(rows[0][3].is_null());
    EXPECT_EQ(rows[0][4].as<std::string>(), "t");
    EXPECT_EQ(rows[0][5].as<std::string>(), "name at 30");
    EXPECT_EQ(rows[0][6].as<std::string>(), "[1]");
    EXPECT_EQ(rows[1][0].as<std::string>(), "wss://never");
    EXPECT_TRUE(rows[1][1].is_null());
    EXPECT_EQ(rows[1][7].as<std::string>(), "t");
    EXPECT_EQ(rows[1][8].as<std::string>(), "t");
}

TEST_F(BigViews, KindAndPubkeyCounts) {
    event(1, 1, 1, 100, "wss://a");
    event(2, 1, 1, 300, "wss://a");
    event(3, 1, 7, 200, "wss://b");
    event(4, 2, 1, 50, "wss://a");
    event(4, 2, 1, 50, "wss://b");
    event(5, 2, 3, 60, "wss://b");

    EXPECT_EQ(this->value("SELECT string_agg(concat_ws(':', kind, event_count, unique_pubkeys), ' ') "
                          "FROM kind_counts_total"),
              "1:3:2 3:1:1 7:1:1");  // by count desc, then kind
    EXPECT_EQ(this->value("SELECT string_agg(concat_ws(':', kind, relay_url, event_count, unique_pubkeys), ' ' "
                          "ORDER BY kind, relay_url) FROM kind_counts_by_relay"),
              "1:wss://a:3:2 1:wss://b:1:1 3:wss://b:1:1 7:wss://b:1:1");
    EXPECT_EQ(this->value("SELECT string_agg(concat_ws(':', pubkey_hex, event_count, unique_kinds, "
                          "first_event_timestamp, last_event_timestamp), ' ') FROM pubkey_counts_total"),
              hex32(1001) + ":3:2:100:300 " + hex32(1002) + ":2:2:50:60");
    EXPECT_EQ(this->value("SELECT string_agg(concat_ws(':', pubkey_hex, relay_url, event_count, unique_kinds, "
                          "first_event_timestamp, last_event_timestamp, kinds_used::text), ' ' "
                          "ORDER BY pubkey_hex, relay_url) FROM pubkey_counts_by_relay"),
              hex32(1001) + ":wss://a:2:1:100:300:{1} " + hex32(1001) + ":wss://b:1:1:200:200:{7} " + hex32(1002) +
                  ":wss://a:1:1:50:50:{1} " + hex32(1002) + ":wss://b:2:2:50:60:{1,3}");
}

TEST_F(LilViews, StatisticsWorkWithoutTagsAndContent) {
    event(1, 1, 1, 100, "wss://a");
    event(2, 2, 30000, 200, "wss://a");
    EXPECT_EQ(this->value("SELECT concat_ws(' ', total_events, unique_pubkeys, regular_events, addressable_events) "
                          "FROM events_statistics"),
              "2 2 1 1");
    EXPECT_EQ(this->value("SELECT event_count FROM relays_statistics"), "2");
    EXPECT_EQ(this->value("SELECT kinds_used::text FROM pubkey_counts_by_relay WHERE pubkey_hex = '" + hex32(1002) +
                          "'"),
              "{30000}");
}

}  // namespace
}  // namespace brotr::test
