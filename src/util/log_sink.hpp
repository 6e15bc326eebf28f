// Where log records go. Private to brotr_core and its tests: the public
// log.hpp stays free of spdlog.
#pragma once

#include <memory>

#include <spdlog/sinks/sink.h>

namespace brotr::log {

// Replaces the destination of all records (stderr by default); nullptr
// restores stderr. The time/level/message pattern is applied to the new sink.
void set_sink(std::shared_ptr<spdlog::sinks::sink> sink);

}  // namespace brotr::log
