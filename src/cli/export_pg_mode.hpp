// `brotr export --pg CONNINFO --once`: the batch mode of the PostgreSQL
// exporter, part of the export command (export_command.cpp). It opens the
// store as a secondary instance, so it runs while `brotr run` holds the
// store, exports every changelog entry up to the head it finds at the start,
// prints progress on stderr and a summary on stdout, and exits 0 only when
// all of them are in PostgreSQL (1 on failure, 2 on usage errors). With
// --full it first copies every row of the store's tables (FullExport,
// exporters/full_export.hpp), for a database the trimmed changelog cannot
// continue.
#pragma once

#include <cstddef>
#include <string>

#include <CLI/CLI.hpp>

namespace brotr::cli {

struct PgExportOptions {
    std::string conninfo;      // --pg
    bool once = false;         // --once
    bool full = false;         // --full
    std::string node_id;       // --node-id; empty: brotr.yaml's default (the host name)
    std::string password_env;  // --password-env
    std::size_t batch_size = 10000;
    double progress_interval = 1.0;  // seconds between progress lines
};

void add_pg_export_options(CLI::App& command, PgExportOptions& options);

// Whether the command line gave any of the PostgreSQL mode's options.
bool pg_export_requested(const CLI::App& command);

// `command` is the export command as parsed (to refuse its JSONL-only options).
int run_pg_export(const std::string& store_path, const PgExportOptions& options, const CLI::App& command);

}  // namespace brotr::cli
