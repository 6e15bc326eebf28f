#include "exporters/pg_schema_contract.hpp"

namespace brotr::pg {
namespace {

// The full events columns that the light schema leaves out.
const std::vector<ColumnSpec> kFullEventColumns = {{"tags", "jsonb"}, {"tagvalues", "text[]"}, {"content", "text"}};

SchemaContract make_contract(SchemaVariant variant) {
    const bool full = variant == SchemaVariant::bigbrotr;
    SchemaContract c;
    c.extensions = {"pgcrypto", "btree_gin"};

    std::vector<ColumnSpec> event_columns = {
        {"id", "bytea"}, {"pubkey", "bytea"}, {"created_at", "bigint"}, {"kind", "integer"}, {"sig", "bytea"}};
    if (full) event_columns.insert(event_columns.end(), kFullEventColumns.begin(), kFullEventColumns.end());
    c.tables = {
        {"relays", {{"url", "text"}, {"network", "text"}, {"inserted_at", "bigint"}}},
        {"events", event_columns},
        {"events_relays", {{"event_id", "bytea"}, {"relay_url", "text"}, {"seen_at", "bigint"}}},
        {"nip11",
         {{"id", "bytea"}, {"name", "text"}, {"description", "text"}, {"banner", "text"}, {"icon", "text"},
          {"pubkey", "text"}, {"contact", "text"}, {"supported_nips", "jsonb"}, {"software", "text"},
          {"version", "text"}, {"privacy_policy", "text"}, {"terms_of_service", "text"}, {"limitation", "jsonb"},
          {"extra_fields", "jsonb"}}},
        {"nip66",
         {{"id", "bytea"}, {"openable", "boolean"}, {"readable", "boolean"}, {"writable", "boolean"},
          {"rtt_open", "integer"}, {"rtt_read", "integer"}, {"rtt_write", "integer"}}},
        {"relay_metadata",
         {{"relay_url", "text"}, {"generated_at", "bigint"}, {"nip11_id", "bytea"}, {"nip66_id", "bytea"}}},
        {"service_state", {{"service_name", "text"}, {"state", "jsonb"}, {"updated_at", "bigint"}}},
        {"brotr_export_cursor", {{"node_id", "text"}, {"seq", "bigint"}, {"updated_at", "bigint"}}},
    };
    if (!full) c.foreign_columns = {{"events", kFullEventColumns}};

    c.indexes = {"idx_events_created_at",
                 "idx_events_kind",
                 "idx_events_kind_created_at",
                 "idx_events_pubkey_created_at",
                 "idx_events_pubkey_kind_created_at",
                 "idx_events_relays_event_id",
                 "idx_events_relays_relay_url",
                 "idx_events_relays_seen_at",
                 "idx_events_relays_relay_seen",
                 "idx_nip66_openable",
                 "idx_nip66_readable",
                 "idx_nip66_writable",
                 "idx_relay_metadata_generated_at",
                 "idx_relay_metadata_nip11_id",
                 "idx_relay_metadata_nip66_id",
                 "idx_relay_metadata_url_generated"};
    if (full) c.indexes.push_back("idx_events_tagvalues");

    c.functions = {
        {"tags_to_tagvalues", "jsonb", "text[]"},
        {"compute_nip11_hash", "text, text, text, text, text, text, jsonb, text, text, text, text, jsonb, jsonb",
         "bytea"},
        {"compute_nip66_hash", "boolean, boolean, boolean, integer, integer, integer", "bytea"},
        {"insert_event", "bytea, bytea, bigint, integer, jsonb, text, bytea, text, text, bigint, bigint", "void"},
        {"insert_relay", "text, text, bigint", "void"},
        {"insert_relay_metadata",
         "text, text, bigint, bigint, boolean, boolean, boolean, boolean, integer, integer, integer, boolean, "
         "text, text, text, text, text, text, jsonb, text, text, text, text, jsonb, jsonb",
         "void"},
        {"delete_orphan_events", "", "integer"},
        {"delete_orphan_nip11", "", "integer"},
        {"delete_orphan_nip66", "", "integer"},
        {"brotr_export_prepare_staging", "", "void"},
        {"brotr_export_merge_staging", "text, bigint, bigint",
         "TABLE(inserted_relays bigint, inserted_events bigint, inserted_events_relays bigint, "
         "inserted_nip11 bigint, inserted_nip66 bigint, inserted_relay_metadata bigint, "
         "upserted_service_state bigint)"},
    };

    c.views = {
        {"relay_metadata_latest",
         {{"relay_url", "text"},           {"network", "text"},
          {"inserted_at", "bigint"},       {"generated_at", "bigint"},
          {"nip66_id", "bytea"},           {"nip66_openable", "boolean"},
          {"nip66_readable", "boolean"},   {"nip66_writable", "boolean"},
          {"nip66_rtt_open", "integer"},   {"nip66_rtt_read", "integer"},
          {"nip66_rtt_write", "integer"},  {"nip11_id", "bytea"},
          {"nip11_name", "text"},          {"nip11_description", "text"},
          {"nip11_banner", "text"},        {"nip11_icon", "text"},
          {"nip11_pubkey", "text"},        {"nip11_contact", "text"},
          {"nip11_supported_nips", "jsonb"}, {"nip11_software", "text"},
          {"nip11_version", "text"},       {"nip11_privacy_policy", "text"},
          {"nip11_terms_of_service", "text"}, {"nip11_limitation", "jsonb"},
          {"nip11_extra_fields", "jsonb"}}},
        {"events_statistics",
         {{"total_events", "bigint"},
          {"unique_pubkeys", "bigint"},
          {"unique_kinds", "bigint"},
          {"earliest_event_timestamp", "bigint"},
          {"latest_event_timestamp", "bigint"},
          {"regular_events", "bigint"},
          {"replaceable_events", "bigint"},
          {"ephemeral_events", "bigint"},
          {"addressable_events", "bigint"},
          {"events_last_hour", "bigint"},
          {"events_last_24h", "bigint"},
          {"events_last_7d", "bigint"},
          {"events_last_30d", "bigint"}}},
        {"relays_statistics",
         {{"relay_url", "text"},
          {"network", "text"},
          {"inserted_at", "bigint"},
          {"event_count", "bigint"},
          {"unique_pubkeys", "bigint"},
          {"first_event_timestamp", "bigint"},
          {"last_event_timestamp", "bigint"},
          {"avg_rtt_open", "numeric"},
          {"avg_rtt_read", "numeric"},
          {"avg_rtt_write", "numeric"}}},
        {"kind_counts_total", {{"kind", "integer"}, {"event_count", "bigint"}, {"unique_pubkeys", "bigint"}}},
        {"kind_counts_by_relay",
         {{"kind", "integer"}, {"relay_url", "text"}, {"event_count", "bigint"}, {"unique_pubkeys", "bigint"}}},
        {"pubkey_counts_total",
         {{"pubkey_hex", "text"},
          {"event_count", "bigint"},
          {"unique_kinds", "bigint"},
          {"first_event_timestamp", "bigint"},
          {"last_event_timestamp", "bigint"}}},
        {"pubkey_counts_by_relay",
         {{"pubkey_hex", "text"},
          {"relay_url", "text"},
          {"event_count", "bigint"},
          {"unique_kinds", "bigint"},
          {"first_event_timestamp", "bigint"},
          {"last_event_timestamp", "bigint"},
          {"kinds_used", "integer[]"}}},
    };
    return c;
}

}  // namespace

const SchemaContract& schema_contract(SchemaVariant variant) {
    static const SchemaContract full = make_contract(SchemaVariant::bigbrotr);
    static const SchemaContract light = make_contract(SchemaVariant::lilbrotr);
    return variant == SchemaVariant::bigbrotr ? full : light;
}

}  // namespace brotr::pg
