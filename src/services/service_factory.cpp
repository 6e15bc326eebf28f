#include "services/service_factory.hpp"

#include <algorithm>
#include <stdexcept>

#include "services/api_service.hpp"
#include "services/backup_service.hpp"
#include "services/changelog_service.hpp"
#include "services/export_service.hpp"
#include "services/finder.hpp"
#include "services/initializer.hpp"
#include "services/metrics_service.hpp"
#include "services/monitor.hpp"
#include "services/synchronizer.hpp"

namespace brotr::services {

namespace {

const ServiceEntry kRegistry[] = {
    {"initializer", "Create or open the store and seed the relay registry (one-shot)",
     [](const Config&) { return true; },
     [](const ServiceContext& c) -> std::unique_ptr<runtime::Service> {
         return std::make_unique<InitializerService>(c.store, c.config.services.initializer);
     }},
    {"finder", "Discover relay URLs from public APIs and archived events",
     [](const Config& c) { return c.services.finder.enabled; },
     [](const ServiceContext& c) -> std::unique_ptr<runtime::Service> {
         return std::make_unique<Finder>(c.store, c.config.services.finder, c.config.brotr.network);
     }},
    {"monitor", "Check relays: NIP-11 documents and NIP-66 open/read/write round trips",
     [](const Config& c) { return c.services.monitor.enabled; },
     [](const ServiceContext& c) -> std::unique_ptr<runtime::Service> {
         // Checks MONITOR_PRIVATE_KEY against keys.public_key: a mismatch stops start-up.
         return std::make_unique<Monitor>(c.store, c.config.services.monitor, c.config.brotr.network);
     }},
    {"synchronizer", "Archive the events of every selected relay",
     [](const Config& c) { return c.services.synchronizer.enabled; },
     [](const ServiceContext& c) -> std::unique_ptr<runtime::Service> {
         SynchronizerOptions options;
         options.shard = c.config.brotr.shard;
         return std::make_unique<Synchronizer>(c.store, c.config.services.synchronizer, c.config.brotr.network,
                                               std::move(options));
     }},
    {"exporter", "Mirror the store into PostgreSQL (export: in brotr.yaml)",
     [](const Config& c) { return c.brotr.exporter.enabled; },
     [](const ServiceContext& c) -> std::unique_ptr<runtime::Service> {
         if (c.config.brotr.exporter.conninfo.empty())
             throw std::invalid_argument("the exporter needs export.conninfo in brotr.yaml");
         return std::make_unique<ExportService>(c.store, export_service_options(c.config.brotr));
     }},
    {"changelog", "Trim the changelog: what every consumer read and changelog.retention allows (brotr.yaml)",
     [](const Config& c) { return c.brotr.changelog.trim; },
     [](const ServiceContext& c) -> std::unique_ptr<runtime::Service> {
         return std::make_unique<ChangelogService>(c.store, c.config.brotr.changelog);
     },
     false},
    {"backup", "Back up the store online and incrementally (backup: in brotr.yaml)",
     [](const Config& c) { return c.brotr.backup.enabled; },
     [](const ServiceContext& c) -> std::unique_ptr<runtime::Service> {
         return std::make_unique<BackupService>(c.store, c.config.brotr.backup);
     },
     false},
    {"api", "Serve the archive over HTTP: REST API and /health (services/api.yaml)",
     [](const Config& c) { return c.services.api.enabled; },
     [](const ServiceContext& c) -> std::unique_ptr<runtime::Service> {
         return std::make_unique<ApiService>(c.store, c.config.services.api, ApiServiceOptions{false, c.once}, c.io);
     },
     false},
    {"metrics", "Serve Prometheus /metrics on brotr.yaml's metrics address (also with the API off)",
     [](const Config& c) { return c.brotr.metrics.enabled; },
     [](const ServiceContext& c) -> std::unique_ptr<runtime::Service> {
         return std::make_unique<MetricsService>(c.store, c.config.brotr.metrics, c.once, c.io);
     },
     false},
};

}  // namespace

std::span<const ServiceEntry> service_registry() { return kRegistry; }

const ServiceEntry* find_service(std::string_view name) {
    for (const auto& entry : kRegistry)
        if (entry.name == name) return &entry;
    return nullptr;
}

std::vector<std::unique_ptr<runtime::Service>> build_services(const ServiceContext& context,
                                                              const std::vector<std::string>& names) {
    std::vector<const ServiceEntry*> chosen;
    if (names.empty()) {
        for (const auto& entry : kRegistry)
            if (entry.enabled(context.config)) chosen.push_back(&entry);
    } else {
        for (const auto& name : names) {
            const ServiceEntry* entry = find_service(name);
            if (!entry) throw std::invalid_argument("unknown service '" + name + "'");
            if (std::find(chosen.begin(), chosen.end(), entry) != chosen.end())
                throw std::invalid_argument("service '" + name + "' named twice");
            chosen.push_back(entry);
        }
    }
    std::vector<std::unique_ptr<runtime::Service>> services;
    for (const auto* entry : chosen) services.push_back(entry->make(context));
    return services;
}

}  // namespace brotr::services
