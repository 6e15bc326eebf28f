// The key table of each configuration file, defined beside its parser.
#pragma once

#include "brotr/config.hpp"
#include "config/key_table.hpp"

namespace brotr::config_detail {

const FileKeys<BrotrConfig>& brotr_keys();
const FileKeys<InitializerConfig>& initializer_keys();
const FileKeys<FinderConfig>& finder_keys();
const FileKeys<MonitorConfig>& monitor_keys();
const FileKeys<SynchronizerConfig>& synchronizer_keys();
const FileKeys<ApiConfig>& api_keys();
const FileKeys<DvmConfig>& dvm_keys();

}  // namespace brotr::config_detail
