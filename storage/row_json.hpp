// The JSON form of the store's rows and statistics, with the field names of
// the PostgreSQL tables and views in sql/ (events_statistics, relays_statistics,
// kind_counts_total, ...), so that `brotr-dump --json` and the HTTP API say
// the same figures under the same words as a BigBrotr database.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "brotr/store.hpp"

namespace brotr {

using Json = nlohmann::ordered_json;

Json json_opt(const std::optional<std::int64_t>& v);
Json json_opt(const std::optional<Decimal2>& v);  // a JSON number with the exact decimal text, e.g. 12.5
Json json_opt(const std::optional<std::int32_t>& v);
Json json_opt(const std::optional<std::string>& v);

Json events_statistics_json(const EventsStatistics& s);
Json relay_statistics_json(const RelayStatistics& r);
Json nip11_json(const std::optional<Nip11>& d);  // jsonb columns as JSON values; null when absent
Json nip66_json(const std::optional<Nip66>& n);
Json snapshot_json(const StoredSnapshot& s);     // generated_at, nip11_id, nip11, nip66_id, nip66
Json kind_count_json(const KindCount& k);
Json kind_relay_count_json(const KindRelayCount& k);
Json pubkey_count_json(const PubkeyCount& p);
Json pubkey_relay_count_json(const PubkeyRelayCount& p);
Json table_sizes_json(const StoreSummary& t);    // rows per table, by PostgreSQL table name

}  // namespace brotr
