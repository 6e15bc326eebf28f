#include "storage/counter_batch.hpp"


namespace brotr::storage {

std::size_t KnownCounters::size() const {
    std::size_t n = authors.size() + author_kinds.size();
    for (const auto& [url, r] : relays) n += r.authors.size() + r.author_kinds.size();
    return n;
}

void KnownCounters::clear() {
    authors.clear();
    author_kinds.clear();
    kinds.reset();
    relays.clear();
    complete = false;
}

bool CounterBatch::empty() const {
    for (const auto& g : globals_)
        if (!(g == CounterRecord{})) return false;
    return needed_.empty() && histogram_.empty() && kinds_.empty() && authors_.empty() && relay_urls_.empty() &&
           relay_authors_.empty() && relay_kinds_.empty() && markers_.empty();
}

void CounterBatch::clear() {
    needed_.clear();
    globals_ = {};
    histogram_.clear();
    kinds_.clear();
    authors_.clear();
    relay_urls_.clear();
    relay_known_.clear();
    relay_totals_.clear();
    relay_authors_.clear();
    relay_kinds_.clear();
    markers_.clear();
}

void CounterBatch::announce_event(const Bytes32& pubkey, std::uint16_t kind) {
    if (known_.complete) return;
    if (!known_.authors.contains(pubkey)) needed_.push_back({pubkey_counter_key(pubkey), 'p', {}, {pubkey, kind}});
    if (!known_.author_kinds.contains({pubkey, kind}))
        needed_.push_back({pubkey_kind_marker_key(pubkey, kind), 'q', {}, {pubkey, kind}});
    if (!known_.kinds.test(kind)) needed_.push_back({kind_counter_key(kind), 'k', {}, {pubkey, kind}});
}

void CounterBatch::announce_link(std::string_view relay_url, const Bytes32& pubkey, std::uint16_t kind) {
    if (known_.complete) return;
    const KnownCounters::PerRelay* r = relay_known_[relay_index(relay_url)];
    if (!r->authors.contains(pubkey))
        needed_.push_back({relay_pubkey_counter_key(relay_url, pubkey), 's', std::string(relay_url), {pubkey, kind}});
    if (!r->author_kinds.contains({pubkey, kind}))
        needed_.push_back(
            {relay_pubkey_kind_marker_key(relay_url, pubkey, kind), 't', std::string(relay_url), {pubkey, kind}});
}

void CounterBatch::resolve(const std::function<std::vector<bool>(const std::vector<std::string>&)>& exists) {
    std::vector<std::string> keys;
    std::vector<const Need*> needs;
    boost::unordered_flat_set<std::string_view> seen;
    for (const auto& n : needed_)
        if (seen.insert(n.key).second) {
            keys.push_back(n.key);
            needs.push_back(&n);
        }
    const std::vector<bool> present = exists(keys);
    for (std::size_t i = 0; i < keys.size(); ++i) {
        if (!present[i]) continue;
        const Need& n = *needs[i];
        switch (n.type) {
            case 'p': known_.authors.insert(n.what.pubkey); break;
            case 'q': known_.author_kinds.insert(n.what); break;
            case 'k': known_.kinds.set(n.what.kind); break;
            case 's': known_.relays[n.relay].authors.insert(n.what.pubkey); break;
            case 't': known_.relays[n.relay].author_kinds.insert(n.what); break;
        }
    }
    needed_.clear();
}

std::uint32_t CounterBatch::relay_index(std::string_view url) {
    for (std::size_t i = 0; i < relay_urls_.size(); ++i)
        if (relay_urls_[i] == url) return static_cast<std::uint32_t>(i);
    relay_urls_.emplace_back(url);
    relay_known_.push_back(&known_.relays[relay_urls_.back()]);  // map nodes do not move
    relay_totals_.emplace_back();
    return static_cast<std::uint32_t>(relay_urls_.size() - 1);
}

void CounterBatch::count_event(const Bytes32& pubkey, std::uint16_t kind, std::int64_t created_at) {
    const bool new_author = known_.authors.insert(pubkey).second;
    const bool new_author_kind = known_.author_kinds.insert({pubkey, kind}).second;
    const bool new_kind = !known_.kinds.test(kind);
    known_.kinds.set(kind);

    CounterRecord& events = globals_[static_cast<std::size_t>(Global::events)];
    events.count += 1;
    events.add_time(created_at);
    switch (kind_class(kind)) {
        case KindClass::regular: add_global(Global::regular); break;
        case KindClass::replaceable: add_global(Global::replaceable); break;
        case KindClass::ephemeral: add_global(Global::ephemeral); break;
        case KindClass::addressable: add_global(Global::addressable); break;
        case KindClass::none: break;
    }
    if (new_author) add_global(Global::pubkeys);
    if (new_kind) add_global(Global::kinds);

    CounterRecord& author = authors_[pubkey];
    author.count += 1;
    author.distinct += new_author_kind ? 1 : 0;
    author.add_time(created_at);
    if (new_author_kind) markers_.push_back(pubkey_kind_marker_key(pubkey, kind));
    CounterRecord& of_kind = kinds_[kind];
    of_kind.count += 1;
    of_kind.distinct += new_author_kind ? 1 : 0;

    const auto t = static_cast<std::uint64_t>(created_at);
    for (int level = 0; level < kHistogramLevels; ++level)
        ++histogram_[(static_cast<std::uint64_t>(level) << 61) | (t >> histogram_shift(level))];
}

void CounterBatch::count_link(std::string_view relay_url, const Bytes32& pubkey, std::uint16_t kind,
                              std::int64_t created_at) {
    const std::uint32_t r = relay_index(relay_url);
    KnownCounters::PerRelay& known = *relay_known_[r];
    const bool new_relay_author = known.authors.insert(pubkey).second;
    const bool new_relay_author_kind = known.author_kinds.insert({pubkey, kind}).second;

    add_global(Global::links);
    CounterRecord& relay = relay_totals_[r];
    relay.count += 1;
    relay.distinct += new_relay_author ? 1 : 0;
    relay.add_time(created_at);

    CounterRecord& relay_author = relay_authors_[{r, pubkey}];
    relay_author.count += 1;
    relay_author.distinct += new_relay_author_kind ? 1 : 0;
    relay_author.add_time(created_at);
    if (new_relay_author_kind) markers_.push_back(relay_pubkey_kind_marker_key(relay_url, pubkey, kind));

    CounterRecord& relay_kind = relay_kinds_[(static_cast<std::uint64_t>(r) << 16) | kind];
    relay_kind.count += 1;
    relay_kind.distinct += new_relay_author_kind ? 1 : 0;
}

void CounterBatch::for_each_merge(const std::function<void(const std::string&, const CounterRecord&)>& f) const {
    for (std::size_t g = 0; g < globals_.size(); ++g)
        if (!(globals_[g] == CounterRecord{})) f(global_counter_key(static_cast<Global>(g)), globals_[g]);
    for (const auto& [key, count] : histogram_) {
        CounterRecord r;
        r.count = count;
        f(histogram_key(static_cast<int>(key >> 61), key & ((std::uint64_t{1} << 61) - 1)), r);
    }
    for (const auto& [kind, r] : kinds_) f(kind_counter_key(kind), r);
    for (const auto& [pubkey, r] : authors_) f(pubkey_counter_key(pubkey), r);
    for (std::size_t i = 0; i < relay_urls_.size(); ++i)
        if (!(relay_totals_[i] == CounterRecord{})) f(relay_counter_key(relay_urls_[i]), relay_totals_[i]);
    for (const auto& [key, r] : relay_authors_) f(relay_pubkey_counter_key(relay_urls_[key.relay], key.pubkey), r);
    for (const auto& [key, r] : relay_kinds_)
        f(relay_kind_counter_key(relay_urls_[key >> 16], static_cast<std::uint16_t>(key & 0xffff)), r);
}

void CounterBatch::write_to(SortedBatch& batch) const {
    for_each_merge([&](const std::string& key, const CounterRecord& delta) { batch.merge(Cf::counters, key, delta.encode()); });
    for (const auto& key : markers_) batch.put(Cf::counters, key, {});
}

}  // namespace brotr::storage
