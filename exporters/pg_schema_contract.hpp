// What `brotr pg-check` expects to find: the objects of docs/postgres.md
// (BigBrotr's contract plus the exporter's own) per schema variant, with column and argument
// types spelled as PostgreSQL's format_type() prints them.
#pragma once

#include <string_view>
#include <vector>

#include "exporters/pg_schema.hpp"

namespace brotr::pg {

struct ColumnSpec {
    std::string_view name;
    std::string_view type;  // e.g. "bigint", "text[]"
};

struct RelationSpec {
    std::string_view name;
    std::vector<ColumnSpec> columns;
};

struct FunctionSpec {
    std::string_view name;
    std::string_view argument_types;  // e.g. "text, text, bigint"
    std::string_view result_type;     // e.g. "void"
};

struct SchemaContract {
    std::vector<std::string_view> extensions;
    std::vector<RelationSpec> tables;
    std::vector<std::string_view> indexes;
    std::vector<FunctionSpec> functions;
    std::vector<RelationSpec> views;
    // Columns whose presence means the database holds the other variant
    // (the full events columns in a light schema).
    std::vector<RelationSpec> foreign_columns;
};

const SchemaContract& schema_contract(SchemaVariant variant);

}  // namespace brotr::pg
