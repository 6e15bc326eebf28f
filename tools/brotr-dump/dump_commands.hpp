// The views of brotr-dump. Each prints to stdout (a table, or JSON when
// `json` is set) and returns the exit code.
#pragma once

#include <string>

#include "brotr/store.hpp"

namespace brotr::dump {

int show_stats(const Store& store, bool json);
int show_relays(const Store& store, bool json);
int show_relay(const Store& store, const std::string& url, std::size_t limit, bool json);
int show_metadata(const Store& store, bool json);
int show_kinds(const Store& store, bool by_relay, bool json);
int show_pubkeys(const Store& store, bool by_relay, std::size_t limit, bool json);
int show_events(const Store& store, const Filter& query);
int show_state(const Store& store, bool json);
int run_check(const Store& store, bool json);

}  // namespace brotr::dump
