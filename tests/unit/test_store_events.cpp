// Inserting events: dedup by id, verification, relay links, variants, changelog.
#include <gtest/gtest.h>

#include "brotr/store.hpp"
#include "support/test_env.hpp"
#include "unit/test_store_fixtures.hpp"

namespace brotr {
namespace {

using test::EventGenerator;
using test::TempDir;

RelayUrl relay(const std::string& url) { return *RelayUrl::parse(url); }

std::vector<EventWithRelay> with_relay(const std::vector<Event>& events, const RelayUrl* r, std::int64_t seen_at) {
    std::vector<EventWithRelay> items;
    for (const auto& e : events) items.push_back({e, r, seen_at, false});
    return items;
}

class StoreEvents : public ::testing::Test {
protected:
    TempDir dir;
    Store store = Store::init((dir / "store").string(), StoreVariant::bigbrotr);
    EventGenerator gen{42};
};

TEST_F(StoreEvents, StoresNewEventsAndReadsThemBack) {
    auto events = gen.batch(50);
    RelayUrl r = relay("wss://relay.example.com");
    auto result = store.insert_events(with_relay(events, &r, 1000));
    EXPECT_EQ(result.stored, 50u);
    EXPECT_EQ(result.duplicates, 0u);
    EXPECT_EQ(result.links_added, 50u);
    EXPECT_EQ(result.relays_added, 1u);
    EXPECT_EQ(result.invalid_total(), 0u);
    for (std::size_t i = 0; i < events.size(); ++i) {
        EXPECT_EQ(result.outcomes[i], InsertOutcome::stored);
        auto back = store.get_event(events[i].id);
        ASSERT_TRUE(back.has_value());
        EXPECT_EQ(*back, events[i]);
    }
    auto stored_relay = store.get_relay("wss://relay.example.com");
    ASSERT_TRUE(stored_relay.has_value());
    EXPECT_EQ(stored_relay->network, Network::clearnet);
    EXPECT_EQ(stored_relay->inserted_at, 1000);
}

TEST_F(StoreEvents, DuplicateWithSameSigIsNotVerifiedAgainAndGetsItsRelayLink) {
    auto events = gen.batch(10);
    RelayUrl a = relay("wss://a.example.com"), b = relay("wss://b.example.com");
    store.insert_events(with_relay(events, &a, 100));
    // A copy whose content no longer matches its id: were it verified, it
    // would be rejected. Same id and sig means "already stored": only a lookup.
    auto tampered = events;
    for (auto& e : tampered) e.content += " tampered";
    auto result = store.insert_events(with_relay(tampered, &b, 200));
    EXPECT_EQ(result.stored, 0u);
    EXPECT_EQ(result.duplicates, 10u);
    EXPECT_EQ(result.links_added, 10u);
    EXPECT_EQ(result.invalid_total(), 0u);
    for (const auto& e : events) {
        EXPECT_EQ(store.get_event(e.id)->content, e.content);  // the stored copy is untouched
        auto links = store.event_relays(e.id);
        ASSERT_EQ(links.size(), 2u);
    }
}

TEST_F(StoreEvents, FirstSightingOfARelayLinkIsKept) {
    auto events = gen.batch(3);
    RelayUrl a = relay("wss://a.example.com");
    store.insert_events(with_relay(events, &a, 500));
    auto again = store.insert_events(with_relay(events, &a, 100));  // earlier seen_at, later insert
    EXPECT_EQ(again.links_added, 0u);
    EXPECT_EQ(again.duplicates, 3u);
    for (const auto& e : events) {
        auto links = store.event_relays(e.id);
        ASSERT_EQ(links.size(), 1u);
        EXPECT_EQ(links[0].seen_at, 500);
        EXPECT_EQ(links[0].relay_url, "wss://a.example.com");
    }
}

TEST_F(StoreEvents, InvalidEventsAreCountedByReasonAndNotStored) {
    auto events = gen.batch(6);
    events[0].content += "x";           // id no longer matches
    events[1].sig[10] ^= 0x01;          // signature broken
    events[2].id[0] ^= 0x01;            // id of something else
    auto result = store.insert_events(with_relay(events, nullptr, 0));
    EXPECT_EQ(result.stored, 3u);
    EXPECT_EQ(result.invalid[static_cast<std::size_t>(EventError::id_mismatch)], 2u);
    EXPECT_EQ(result.invalid[static_cast<std::size_t>(EventError::invalid_signature)], 1u);
    EXPECT_EQ(result.outcomes[0], InsertOutcome::invalid);
    EXPECT_EQ(result.errors[1], EventError::invalid_signature);
    EXPECT_FALSE(store.get_event(events[0].id).has_value());
    EXPECT_FALSE(store.get_event(events[1].id).has_value());
    EXPECT_FALSE(store.get_event(events[2].id).has_value());
    EXPECT_TRUE(store.get_event(events[3].id).has_value());
    EXPECT_EQ(store.summary().events, 3u);
}

TEST_F(StoreEvents, SameIdWithAnotherSigIsVerifiedAndKeptAsDuplicate) {
    auto events = gen.batch(2);
    store.insert_events(with_relay(events, nullptr, 0));
    auto forged = events;
    forged[0].sig[5] ^= 0x40;  // same id, a bad signature: must be verified and refused
    auto result = store.insert_events(with_relay(forged, nullptr, 0));
    EXPECT_EQ(result.outcomes[0], InsertOutcome::invalid);
    EXPECT_EQ(result.errors[0], EventError::invalid_signature);
    EXPECT_EQ(result.outcomes[1], InsertOutcome::duplicate);
    EXPECT_EQ(store.get_event(events[0].id)->sig, events[0].sig);

    auto presence = store.find_events(forged);
    EXPECT_EQ(presence[0], Store::Presence::other_sig);
    EXPECT_EQ(presence[1], Store::Presence::same_sig);
    EXPECT_EQ(store.find_events(gen.batch(1))[0], Store::Presence::absent);
}

TEST_F(StoreEvents, NoVerifyTrustsTheInputAndCheckedItemsSkipVerification) {
    auto events = gen.batch(2);
    events[0].content += "x";  // invalid, but the caller says not to verify
    InsertOptions trust;
    trust.verify = false;
    auto result = store.insert_events(with_relay(events, nullptr, 0), trust);
    EXPECT_EQ(result.stored, 2u);

    auto more = gen.batch(1);
    more[0].content += "y";
    auto items = with_relay(more, nullptr, 0);
    items[0].checked = true;  // the caller claims it checked it
    EXPECT_EQ(store.insert_events(items).stored, 1u);
}

TEST_F(StoreEvents, TwoCopiesInOneBatchGiveOneRow) {
    auto events = gen.batch(1);
    RelayUrl a = relay("wss://a.example.com"), b = relay("wss://b.example.com");
    std::vector<EventWithRelay> items = {{events[0], &a, 10, false}, {events[0], &b, 20, false}, {events[0], &a, 30, false}};
    auto result = store.insert_events(items);
    EXPECT_EQ(result.stored, 1u);
    EXPECT_EQ(result.duplicates, 2u);
    EXPECT_EQ(result.links_added, 2u);
    EXPECT_EQ(result.relays_added, 2u);
    auto links = store.event_relays(events[0].id);
    ASSERT_EQ(links.size(), 2u);
    for (const auto& l : links) EXPECT_EQ(l.seen_at, l.relay_url == "wss://a.example.com" ? 10 : 20);
    EXPECT_TRUE(store.check().ok());
}

TEST_F(StoreEvents, OnionRelaysAreRegisteredAsTor) {
    RelayUrl onion = relay("ws://abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuv.onion");
    store.insert_events(with_relay(gen.batch(1), &onion, 7));
    auto r = store.get_relay(onion.str());
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->network, Network::tor);
}

TEST_F(StoreEvents, ChangelogHasOneEntryPerNewRowInDependencyOrder) {
    auto events = gen.batch(4);
    RelayUrl a = relay("wss://a.example.com");
    store.insert_events(with_relay(events, &a, 1));
    store.insert_events(with_relay(events, &a, 2));  // nothing new: no entries
    auto entries = store.read_changelog(0, 100);
    ASSERT_EQ(entries.size(), 1u + 4u + 4u);
    EXPECT_EQ(store.changelog_head(), entries.back().seq);
    EXPECT_EQ(entries[0].table, ChangeTable::relays);
    for (std::size_t i = 0; i < entries.size(); ++i) EXPECT_EQ(entries[i].seq, i + 1);
    std::size_t seen_events = 0;
    for (const auto& entry : entries) {
        auto row = store.fetch_row(entry);
        ASSERT_TRUE(row.has_value());
        if (entry.table == ChangeTable::events) {
            EXPECT_EQ(std::get<Event>(*row), events[seen_events]);
            ++seen_events;
        } else if (entry.table == ChangeTable::events_relays) {
            auto link = std::get<EventRelayRow>(*row);
            EXPECT_EQ(link.event_id, events[seen_events - 1].id);  // right after its event
            EXPECT_EQ(link.relay_url, "wss://a.example.com");
            EXPECT_EQ(link.seen_at, 1);
        } else {
            EXPECT_EQ(std::get<RelayRecord>(*row).url, "wss://a.example.com");
        }
    }
    EXPECT_EQ(store.read_changelog(5, 2).front().seq, 6u);
    EXPECT_TRUE(store.read_changelog(9, 10).empty());
}

TEST_F(StoreEvents, EmptyBatchWritesNothing) {
    auto result = store.insert_events({});
    EXPECT_EQ(result.stored, 0u);
    EXPECT_EQ(store.changelog_head(), 0u);
}

TEST(StoreLil, KeepsNeitherTagsNorContent) {
    TempDir dir;
    Store store = Store::init((dir / "lil").string(), StoreVariant::lilbrotr);
    EventGenerator gen(7);
    auto events = gen.batch(20);
    EXPECT_EQ(store.insert_events(with_relay(events, nullptr, 0)).stored, 20u);
    for (const auto& e : events) {
        auto back = store.get_event(e.id);
        ASSERT_TRUE(back.has_value());
        EXPECT_TRUE(back->tags.empty());
        EXPECT_TRUE(back->content.empty());
        EXPECT_EQ(back->pubkey, e.pubkey);
        EXPECT_EQ(back->sig, e.sig);
        EXPECT_EQ(back->created_at, e.created_at);
        EXPECT_EQ(back->kind, e.kind);
    }
    Filter q;
    q.tags['e'] = {"00"};
    EXPECT_THROW(store.query_events(q), StoreError);
    // A duplicate is still recognised without its body.
    EXPECT_EQ(store.insert_events(with_relay(events, nullptr, 0)).duplicates, 20u);
    EXPECT_TRUE(store.check().ok());
}

}  // namespace
}  // namespace brotr
