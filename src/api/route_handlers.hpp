// One function per route, called by Routes::handle with the decoded target.
// Each returns the JSON body of a 200 or throws ApiError.
#pragma once

#include <string>
#include <vector>

#include "api/request_target.hpp"
#include "api/routes.hpp"

namespace brotr::api {

std::string health_body(const Store& store);  // throws StoreError when the store cannot be read
std::string events_body(const Store& store, const RouteOptions& options, QueryParams& params);
std::string event_body(const Store& store, const std::string& id_hex);
std::string relays_body(const Store& store, const RouteOptions& options, QueryParams& params);
std::string relay_body(const Store& store, const std::string& url);
std::string relay_metadata_body(const Store& store, const RouteOptions& options, const std::string& url,
                                QueryParams& params);
// Prometheus text: the process registry, then the store's gauges.
std::string metrics_body(const Store& store);
std::string stats_body(const Store& store, const RouteOptions& options, QueryParams& params);
// Events per UTC day over the last `days` days (today included), oldest first.
std::string stats_daily_body(const Store& store, QueryParams& params);
// The web page (GET /): HTML with its Content-Security-Policy and caching headers.
HttpResponse page_response();

}  // namespace brotr::api
