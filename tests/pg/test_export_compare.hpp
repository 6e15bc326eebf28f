// Expectations that a PostgreSQL database holds exactly what a store holds:
// every table row by row (ids, tags JSON, content, links, seen_at, metadata,
// state) and every statistics view against the store's own figures.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>
#include <pqxx/result>
#include <pqxx/transaction>

#include "brotr/hex.hpp"
#include "brotr/metadata.hpp"
#include "brotr/store.hpp"
#include "model/jsonb_text.hpp"
#include "pg/pg_schema_fixture.hpp"

namespace brotr::test {

using OptText = std::optional<std::string>;

inline OptText opt(const pqxx::field& f) {
    if (f.is_null()) return std::nullopt;
    return f.as<std::string>();
}

inline OptText opt_int(const std::optional<std::int32_t>& v) {
    if (!v) return std::nullopt;
    return std::to_string(*v);
}

struct TableSizes {
    long long relays = 0, events = 0, events_relays = 0, nip11 = 0, nip66 = 0, relay_metadata = 0, service_state = 0;
    bool operator==(const TableSizes&) const = default;
};

inline std::ostream& operator<<(std::ostream& os, const TableSizes& s) {
    return os << "relays=" << s.relays << " events=" << s.events << " events_relays=" << s.events_relays
              << " nip11=" << s.nip11 << " nip66=" << s.nip66 << " relay_metadata=" << s.relay_metadata
              << " service_state=" << s.service_state;
}

inline TableSizes database_sizes(pqxx::connection_base& c) {
    return {count(c, "relays"), count(c, "events"), count(c, "events_relays"), count(c, "nip11"),
            count(c, "nip66"),  count(c, "relay_metadata"), count(c, "service_state")};
}

inline TableSizes store_sizes(const Store& store) {
    const auto s = store.summary();
    return {static_cast<long long>(s.relays),         static_cast<long long>(s.events),
            static_cast<long long>(s.event_relays),   static_cast<long long>(s.nip11),
            static_cast<long long>(s.nip66),          static_cast<long long>(s.relay_metadata),
            static_cast<long long>(s.service_states)};
}

// A fingerprint of every row of the contract tables, to show that something
// changed nothing.
inline std::string database_digest(pqxx::connection_base& c) {
    std::string out;
    for (const char* table : {"relays", "events", "events_relays", "nip11", "nip66", "relay_metadata", "service_state"})
        out += std::string(table) + ":" +
               scalar(c, std::string("SELECT md5(COALESCE(string_agg(t::text, '|' ORDER BY t::text), '')) FROM ") +
                             table + " t")
                   .value() +
               "\n";
    return out;
}

// The tags as PostgreSQL prints jsonb, built independently of the exporter.
inline std::string canonical_tags_text(const Tags& tags) {
    nlohmann::json array = nlohmann::json::array();
    for (const Tag& t : tags) array.push_back(t);
    return to_jsonb_text(array.dump());
}

// Every row of every table equals the store's.
inline void expect_tables_equal_store(pqxx::connection_base& c, const Store& store) {
    EXPECT_EQ(database_sizes(c), store_sizes(store));
    const bool full = store.variant() == StoreVariant::bigbrotr &&
                      scalar(c, "SELECT COUNT(*) FROM information_schema.columns WHERE table_name = 'events' "
                                "AND column_name = 'tags' AND table_schema = current_schema()")
                              .value() == "1";

    // relays
    {
        std::map<std::string, std::pair<std::string, std::string>> db;
        for (const auto& row : query(c, "SELECT url, network, inserted_at FROM relays"))
            db[row[0].as<std::string>()] = {row[1].as<std::string>(), row[2].as<std::string>()};
        const auto relays = store.relays();
        EXPECT_EQ(db.size(), relays.size());
        for (const auto& r : relays) {
            auto it = db.find(r.url);
            ASSERT_NE(it, db.end()) << "relay missing: " << r.url;
            EXPECT_EQ(it->second.first, to_string(r.network)) << r.url;
            EXPECT_EQ(it->second.second, std::to_string(r.inserted_at)) << r.url;
        }
    }

    // events and their relay links
    {
        std::map<std::string, std::vector<std::string>> db;
        const std::string columns = full ? "encode(pubkey, 'hex'), created_at::text, kind::text, encode(sig, 'hex'), "
                                           "tags::text, content"
                                         : "encode(pubkey, 'hex'), created_at::text, kind::text, encode(sig, 'hex')";
        for (const auto& row : query(c, "SELECT encode(id, 'hex'), " + columns + " FROM events")) {
            std::vector<std::string> values;
            for (pqxx::row::size_type i = 1; i < row.size(); ++i) values.push_back(row[i].as<std::string>());
            db[row[0].as<std::string>()] = std::move(values);
        }
        std::map<std::pair<std::string, std::string>, std::string> db_links;
        for (const auto& row : query(c, "SELECT encode(event_id, 'hex'), relay_url, seen_at::text FROM events_relays"))
            db_links[{row[0].as<std::string>(), row[1].as<std::string>()}] = row[2].as<std::string>();

        std::size_t events = 0, links = 0, mismatches = 0;
        store.for_each_event({}, [&](const Event& e) {
            ++events;
            const std::string id = to_hex(e.id);
            auto it = db.find(id);
            if (it == db.end()) {
                ADD_FAILURE() << "event missing: " << id;
                return ++mismatches < 10;
            }
            const auto& v = it->second;
            EXPECT_EQ(v[0], to_hex(e.pubkey)) << id;
            EXPECT_EQ(v[1], std::to_string(e.created_at)) << id;
            EXPECT_EQ(v[2], std::to_string(e.kind)) << id;
            EXPECT_EQ(v[3], to_hex(e.sig)) << id;
            if (full) {
                EXPECT_EQ(v[4], canonical_tags_text(e.tags)) << id;
                EXPECT_EQ(nlohmann::json::parse(v[4]).get<Tags>(), e.tags) << id;
                EXPECT_EQ(v[5], e.content) << id;
                if (v[4] != canonical_tags_text(e.tags) || v[5] != e.content) ++mismatches;
            }
            for (const auto& link : store.event_relays(e.id)) {
                ++links;
                auto l = db_links.find({id, link.relay_url});
                if (l == db_links.end()) {
                    ADD_FAILURE() << "link missing: " << id << " " << link.relay_url;
                    ++mismatches;
                    continue;
                }
                EXPECT_EQ(l->second, std::to_string(link.seen_at)) << id << " " << link.relay_url;
            }
            return mismatches < 10;
        });
        EXPECT_EQ(events, db.size());
        EXPECT_EQ(links, db_links.size());
    }

    // relay_metadata, nip11, nip66
    {
        std::map<std::pair<std::string, std::string>, std::pair<OptText, OptText>> db_snapshots;
        for (const auto& row : query(c, "SELECT relay_url, generated_at::text, encode(nip11_id, 'hex'), "
                                        "encode(nip66_id, 'hex') FROM relay_metadata"))
            db_snapshots[{row[0].as<std::string>(), row[1].as<std::string>()}] = {opt(row[2]), opt(row[3])};
        std::map<std::string, std::vector<OptText>> db_nip11;
        for (const auto& row : query(c, "SELECT encode(id, 'hex'), name, description, banner, icon, pubkey, contact, "
                                        "supported_nips::text, software, version, privacy_policy, terms_of_service, "
                                        "limitation::text, extra_fields::text FROM nip11")) {
            std::vector<OptText> values;
            for (pqxx::row::size_type i = 1; i < row.size(); ++i) values.push_back(opt(row[i]));
            db_nip11[row[0].as<std::string>()] = std::move(values);
        }
        std::map<std::string, std::vector<OptText>> db_nip66;
        for (const auto& row : query(c, "SELECT encode(id, 'hex'), openable::text, readable::text, writable::text, "
                                        "rtt_open::text, rtt_read::text, rtt_write::text FROM nip66")) {
            std::vector<OptText> values;
            for (pqxx::row::size_type i = 1; i < row.size(); ++i) values.push_back(opt(row[i]));
            db_nip66[row[0].as<std::string>()] = std::move(values);
        }
        std::set<std::string> nip11_seen, nip66_seen;
        std::size_t snapshots = 0;
        for (const auto& relay : store.relays()) {
            for (const auto& s : store.metadata_history(relay.url)) {
                ++snapshots;
                const auto key = std::make_pair(s.relay_url, std::to_string(s.generated_at));
                auto it = db_snapshots.find(key);
                ASSERT_NE(it, db_snapshots.end()) << "snapshot missing: " << s.relay_url << " " << s.generated_at;
                EXPECT_EQ(it->second.first, s.nip11_id ? OptText(to_hex(*s.nip11_id)) : std::nullopt);
                EXPECT_EQ(it->second.second, s.nip66_id ? OptText(to_hex(*s.nip66_id)) : std::nullopt);
                if (s.nip11_id && s.nip11) {
                    const std::string id = to_hex(*s.nip11_id);
                    nip11_seen.insert(id);
                    EXPECT_EQ(to_hex(compute_nip11_id(*s.nip11)), id);
                    auto d = db_nip11.find(id);
                    ASSERT_NE(d, db_nip11.end()) << "nip11 missing: " << id;
                    const Nip11& n = *s.nip11;
                    const std::vector<OptText> expected = {n.name,     n.description,      n.banner,    n.icon,
                                                           n.pubkey,   n.contact,          n.supported_nips,
                                                           n.software, n.version,          n.privacy_policy,
                                                           n.terms_of_service, n.limitation, n.extra_fields};
                    EXPECT_EQ(d->second, expected) << id;
                }
                if (s.nip66_id && s.nip66) {
                    const std::string id = to_hex(*s.nip66_id);
                    nip66_seen.insert(id);
                    EXPECT_EQ(to_hex(compute_nip66_id(*s.nip66)), id);
                    auto d = db_nip66.find(id);
                    ASSERT_NE(d, db_nip66.end()) << "nip66 missing: " << id;
                    const Nip66& n = *s.nip66;
                    const std::vector<OptText> expected = {
                        n.openable ? "true" : "false", n.readable ? "true" : "false", n.writable ? "true" : "false",
                        opt_int(n.rtt_open),          opt_int(n.rtt_read),          opt_int(n.rtt_write)};
                    EXPECT_EQ(d->second, expected) << id;
                }
            }
        }
        EXPECT_EQ(snapshots, db_snapshots.size());
        EXPECT_EQ(nip11_seen.size(), db_nip11.size());
        EXPECT_EQ(nip66_seen.size(), db_nip66.size());
    }

    // service_state
    {
        std::map<std::string, std::pair<std::string, std::string>> db;
        for (const auto& row : query(c, "SELECT service_name, state::text, updated_at::text FROM service_state"))
            db[row[0].as<std::string>()] = {row[1].as<std::string>(), row[2].as<std::string>()};
        const auto states = store.service_states();
        EXPECT_EQ(states.size(), db.size());
        for (const auto& s : states) {
            auto it = db.find(s.name);
            ASSERT_NE(it, db.end()) << "service state missing: " << s.name;
            EXPECT_EQ(it->second.first, to_jsonb_text(s.state_json)) << s.name;
            EXPECT_EQ(it->second.second, std::to_string(s.updated_at)) << s.name;
        }
    }
}

// The ids PostgreSQL computes for the exported documents are the exported ids.
inline void expect_metadata_ids_match_postgres(pqxx::connection_base& c) {
    EXPECT_EQ(count(c, "SELECT COUNT(*) FROM nip11 WHERE id <> compute_nip11_hash(name, description, banner, icon, "
                       "pubkey, contact, supported_nips, software, version, privacy_policy, terms_of_service, "
                       "limitation, extra_fields)"),
              0);
    EXPECT_EQ(count(c, "SELECT COUNT(*) FROM nip66 WHERE id <> compute_nip66_hash(openable, readable, writable, "
                       "rtt_open, rtt_read, rtt_write)"),
              0);
}

inline std::string opt_number(const std::optional<std::int64_t>& v) { return v ? std::to_string(*v) : "NULL"; }
inline std::string opt_decimal(const std::optional<Decimal2>& v) { return v ? v->str() : "NULL"; }
inline std::string text_or_null(const pqxx::field& f) { return f.is_null() ? "NULL" : f.as<std::string>(); }

// The statistics views equal the store's figures (what brotr-dump prints).
inline void expect_views_equal_store(pqxx::connection_base& c, const Store& store) {
    // events_statistics, at the moment the view's NOW() is.
    {
        pqxx::work tx(c);
        // created_at >= epoch(NOW()) - 3600 holds for integers exactly when created_at >= ceil(epoch(NOW())) - 3600.
        const auto now = tx.exec1("SELECT CEIL(EXTRACT(EPOCH FROM NOW()))::bigint")[0].as<std::int64_t>();
        const auto row = tx.exec1("SELECT * FROM events_statistics");
        const EventsStatistics s = store.events_statistics(now);
        EXPECT_EQ(row["total_events"].as<std::uint64_t>(), s.total_events);
        EXPECT_EQ(row["unique_pubkeys"].as<std::uint64_t>(), s.unique_pubkeys);
        EXPECT_EQ(row["unique_kinds"].as<std::uint64_t>(), s.unique_kinds);
        EXPECT_EQ(text_or_null(row["earliest_event_timestamp"]), opt_number(s.earliest_event_timestamp));
        EXPECT_EQ(text_or_null(row["latest_event_timestamp"]), opt_number(s.latest_event_timestamp));
        EXPECT_EQ(row["regular_events"].as<std::uint64_t>(), s.regular_events);
        EXPECT_EQ(row["replaceable_events"].as<std::uint64_t>(), s.replaceable_events);
        EXPECT_EQ(row["ephemeral_events"].as<std::uint64_t>(), s.ephemeral_events);
        EXPECT_EQ(row["addressable_events"].as<std::uint64_t>(), s.addressable_events);
        EXPECT_EQ(row["events_last_hour"].as<std::uint64_t>(), s.events_last_hour);
        EXPECT_EQ(row["events_last_24h"].as<std::uint64_t>(), s.events_last_24h);
        EXPECT_EQ(row["events_last_7d"].as<std::uint64_t>(), s.events_last_7d);
        EXPECT_EQ(row["events_last_30d"].as<std::uint64_t>(), s.events_last_30d);
        tx.commit();
    }
    // relays_statistics
    {
        std::vector<std::string> db, mine;
        for (const auto& row : query(c, "SELECT * FROM relays_statistics ORDER BY relay_url")) {
            std::string line;
            for (const auto& f : row) line += text_or_null(f) + " ";
            db.push_back(line);
        }
        for (const auto& r : store.relays_statistics())
            mine.push_back(r.relay_url + " " + std::string(to_string(r.network)) + " " +
                           std::to_string(r.inserted_at) + " " + std::to_string(r.event_count) + " " +
                           std::to_string(r.unique_pubkeys) + " " + opt_number(r.first_event_timestamp) + " " +
                           opt_number(r.last_event_timestamp) + " " + opt_decimal(r.avg_rtt_open) + " " +
                           opt_decimal(r.avg_rtt_read) + " " + opt_decimal(r.avg_rtt_write) + " ");
        std::sort(mine.begin(), mine.end());
        EXPECT_EQ(db, mine);
    }
    // kind_counts_total, kind_counts_by_relay
    {
        std::vector<std::string> db, mine;
        for (const auto& row : query(c, "SELECT kind, event_count, unique_pubkeys FROM kind_counts_total"))
            db.push_back(row[0].as<std::string>() + " " + row[1].as<std::string>() + " " + row[2].as<std::string>());
        for (const auto& k : store.kind_counts_total())
            mine.push_back(std::to_string(k.kind) + " " + std::to_string(k.event_count) + " " +
                           std::to_string(k.unique_pubkeys));
        EXPECT_EQ(db, mine);  // both ordered by count desc, then kind
    }
    {
        std::set<std::string> db, mine;
        for (const auto& row : query(c, "SELECT kind, relay_url, event_count, unique_pubkeys FROM kind_counts_by_relay"))
            db.insert(row[0].as<std::string>() + " " + row[1].as<std::string>() + " " + row[2].as<std::string>() + " " +
                      row[3].as<std::string>());
        for (const auto& k : store.kind_counts_by_relay())
            mine.insert(std::to_string(k.kind) + " " + k.relay_url + " " + std::to_string(k.event_count) + " " +
                        std::to_string(k.unique_pubkeys));
        EXPECT_EQ(db, mine);
    }
    // pubkey_counts_total, pubkey_counts_by_relay
    {
        std::set<std::string> db, mine;
        for (const auto& row : query(c, "SELECT * FROM pubkey_counts_total")) {
            std::string line;
            for (const auto& f : row) line += text_or_null(f) + " ";
            db.insert(line);
        }
        store.for_each_pubkey_count([&](const PubkeyCount& p) {
            mine.insert(to_hex(p.pubkey) + " " + std::to_string(p.event_count) + " " + std::to_string(p.unique_kinds) +
                        " " + std::to_string(p.first_event_timestamp) + " " + std::to_string(p.last_event_timestamp) +
                        " ");
            return true;
        });
        EXPECT_EQ(db, mine);
    }
    {
        std::set<std::string> db, mine;
        for (const auto& row : query(c, "SELECT * FROM pubkey_counts_by_relay")) {
            std::string line;
            for (const auto& f : row) line += text_or_null(f) + " ";
            db.insert(line);
        }
        store.for_each_pubkey_relay_count([&](const PubkeyRelayCount& p) {
            std::string kinds = "{";
            for (std::size_t i = 0; i < p.kinds_used.size(); ++i)
                kinds += (i ? "," : "") + std::to_string(p.kinds_used[i]);
            kinds += "}";
            mine.insert(to_hex(p.pubkey) + " " + p.relay_url + " " + std::to_string(p.event_count) + " " +
                        std::to_string(p.unique_kinds) + " " + std::to_string(p.first_event_timestamp) + " " +
                        std::to_string(p.last_event_timestamp) + " " + kinds + " ");
            return true;
        });
        EXPECT_EQ(db, mine);
    }
}

}  // namespace brotr::test
