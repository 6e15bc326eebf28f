// A store filled the way the archiver fills it, for the exporter's tests and
// benchmark: signed events of the realistic mix (unit/test_store_fixtures.hpp),
// each seen on one to three relays (clearnet and Tor), relay metadata
// snapshots with NIP-11 documents and NIP-66 results (shared documents,
// missing parts, non-ASCII text, escapes, nested JSON, NULLs), and service
// state written several times. Inserts are interleaved so the changelog mixes
// every table, as it does in a running archiver.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "brotr/metadata.hpp"
#include "brotr/relay_url.hpp"
#include "brotr/store.hpp"
#include "model/jsonb_text.hpp"
#include "unit/test_store_fixtures.hpp"

namespace brotr::test {

struct DatasetSpec {
    std::size_t events = 2000;
    std::size_t clearnet_relays = 24;
    std::size_t tor_relays = 4;
    std::size_t snapshots_per_relay = 3;
    std::size_t service_state_updates = 5;
    std::uint64_t seed = 7;
    // Event created_at values are spread over the time before this moment.
    std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
    std::size_t insert_batch = 1000;  // events per insert_events call
};

inline std::vector<RelayUrl> dataset_relays(const DatasetSpec& spec) {
    std::vector<RelayUrl> out;
    for (std::size_t i = 0; i < spec.clearnet_relays; ++i)
        out.push_back(*RelayUrl::parse("wss://relay" + std::to_string(i) + ".example.com"));
    for (std::size_t i = 0; i < spec.tor_relays; ++i) {
        std::string host = "torrelay" + std::to_string(i);
        host.resize(56, 'q');
        out.push_back(*RelayUrl::parse("ws://" + host + ".onion"));
    }
    return out;
}

// The events of the dataset, without storing anything (deterministic except
// for the signatures).
inline std::vector<Event> dataset_events(const DatasetSpec& spec) {
    EventGenerator gen(spec.seed, 200, spec.now);
    return gen.batch(spec.events);
}

inline RelayMetadata dataset_snapshot(const RelayUrl& relay, std::size_t relay_index, std::size_t n,
                                      std::int64_t generated_at) {
    RelayMetadata m;
    m.relay_url = relay.str();
    m.generated_at = generated_at;
    // Every fourth check found no NIP-11 document; every fifth ran no NIP-66 test.
    if ((relay_index + n) % 4 != 3) {
        Nip11 d;
        // Relays 0-2 serve the same document: it is stored once.
        const std::size_t doc = relay_index < 3 ? 0 : relay_index;
        d.name = "relay " + std::to_string(doc) + " \xE2\x88\x91 \xE6\x97\xA5\xE6\x9C\xAC";
        d.description = "line one\nline \"two\" with a \\ backslash, a\ttab and an emoji \xF0\x9F\x9A\x80";
        if (doc % 2 == 0) d.pubkey = std::string(64, 'a');
        d.contact = doc % 3 == 0 ? std::optional<std::string>() : std::optional<std::string>("admin@example.com");
        d.supported_nips = to_jsonb_text("[1, 2, 9, 11, 40, \"42\"]");
        d.software = "git+https://example.com/relay.git";
        d.version = "1." + std::to_string(n % 2);
        d.limitation = to_jsonb_text(R"({"max_message_length": 16384, "auth_required": false, "min_pow_difficulty": 0,
                                         "payment_required": )" + std::string(doc % 2 ? "true" : "false") + "}");
        d.extra_fields = to_jsonb_text(R"({"fees": {"admission": [{"amount": 1000000, "unit": "msats"}]},
                                           "relay_countries": ["DE", "JP"], "ratio": 2.50, "nothing": null})");
        m.nip11 = d;
    }
    if ((relay_index + n) % 5 != 4) {
        Nip66 r;
        r.openable = (relay_index + n) % 7 != 0;
        r.readable = r.openable && (relay_index % 3 != 1);
        r.writable = r.readable && (relay_index % 2 == 0);
        if (r.openable) r.rtt_open = static_cast<std::int32_t>(50 + relay_index * 7 + n * 3);
        if (r.readable) r.rtt_read = static_cast<std::int32_t>(80 + relay_index * 5 + n);
        if (r.writable) r.rtt_write = static_cast<std::int32_t>(120 + relay_index * 11 + n * 13);
        m.nip66 = r;
    }
    return m;
}

struct DatasetSummary {
    std::size_t events = 0;
    std::size_t links = 0;
    std::size_t snapshots = 0;
};

// Inserts `events` (already generated) into `store` with their relay links,
// interleaved with snapshots and service state updates.
inline DatasetSummary fill_store(Store& store, const std::vector<Event>& events, const DatasetSpec& spec) {
    const auto relays = dataset_relays(spec);
    std::mt19937_64 rng(spec.seed * 31 + 1);
    DatasetSummary summary;
    const std::size_t rounds = std::max<std::size_t>(1, (events.size() + spec.insert_batch - 1) / spec.insert_batch);
    const std::size_t snapshots_total = relays.size() * spec.snapshots_per_relay;
    std::size_t snapshot_next = 0;
    std::size_t state_next = 0;
    for (std::size_t round = 0; round < rounds; ++round) {
        const std::size_t begin = round * spec.insert_batch;
        const std::size_t end = std::min(events.size(), begin + spec.insert_batch);
        std::vector<EventWithRelay> items;
        for (std::size_t i = begin; i < end; ++i) {
            const Event& e = events[i];
            const std::size_t copies = 1 + rng() % 3;
            const std::size_t first = rng() % relays.size();
            for (std::size_t c = 0; c < copies; ++c) {
                EventWithRelay item;
                item.event = e;
                item.relay = &relays[(first + c * 7) % relays.size()];
                item.seen_at = e.created_at + static_cast<std::int64_t>(c * 13 + rng() % 5);
                item.checked = true;  // signed by the generator just now
                items.push_back(std::move(item));
            }
        }
        InsertOptions options;
        options.sync = false;
        const auto result = store.insert_events(items, options);
        summary.events += result.stored;
        summary.links += result.links_added;

        // Some snapshots and state after every event batch, the rest at the end.
        const std::size_t snapshot_goal =
            round + 1 == rounds ? snapshots_total : snapshots_total * (round + 1) / rounds;
        for (; snapshot_next < snapshot_goal; ++snapshot_next) {
            const std::size_t relay_index = snapshot_next % relays.size();
            const std::size_t n = snapshot_next / relays.size();
            const std::int64_t generated_at = spec.now - 86400 + static_cast<std::int64_t>(snapshot_next) * 60;
            if (store.insert_relay_metadata(dataset_snapshot(relays[relay_index], relay_index, n, generated_at)))
                ++summary.snapshots;
        }
        const std::size_t state_goal =
            round + 1 == rounds ? spec.service_state_updates : spec.service_state_updates * (round + 1) / rounds;
        for (; state_next < state_goal; ++state_next) {
            const std::int64_t t = spec.now - 1000 + static_cast<std::int64_t>(state_next);
            store.put_service_state("finder", R"({"events_scanned": )" + std::to_string(state_next * 100) +
                                                  R"(, "last": "caf\u00e9", "sources": ["a", "b"]})",
                                    t);
            if (state_next % 2 == 0)
                store.put_service_state("synchronizer", R"({"relays": {"wss://relay0.example.com": )" +
                                                            std::to_string(t) + "}}",
                                        t);
        }
    }
    store.put_service_state("monitor", "{}", spec.now);
    return summary;
}

inline DatasetSummary fill_store(Store& store, const DatasetSpec& spec) {
    return fill_store(store, dataset_events(spec), spec);
}

}  // namespace brotr::test
