// Realistic signed Nostr events for the store tests and benchmarks: a mix of
// kinds in proportions seen on public relays (notes, reactions, reposts,
// profiles, contact lists with many p tags, DMs, zap receipts, relay lists,
// long-form articles, deletions, a few ephemeral and other kinds), authors
// drawn with a skew (few authors write most events), text content from a
// vocabulary, hex ids in tags. Deterministic for a seed except the
// signatures (BIP-340 signing uses fresh randomness).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "brotr/event.hpp"
#include "brotr/hex.hpp"
#include "brotr/keys.hpp"

namespace brotr::test {

class EventGenerator {
public:
    static constexpr std::int64_t kDefaultNow = 1'700'000'000;

    explicit EventGenerator(std::uint64_t seed, std::size_t authors = 200, std::int64_t now = kDefaultNow)
        : rng_(seed), now_(now) {
        while (keys_.size() < authors) {
            Bytes32 raw;
            for (auto& b : raw) b = static_cast<std::uint8_t>(rng_());
            if (auto key = parse_secret_key(to_hex(raw))) {
                keys_.push_back(*key);
                pubkeys_.push_back(public_key(*key));
            }
        }
    }

    const std::vector<Bytes32>& pubkeys() const { return pubkeys_; }
    std::int64_t now() const { return now_; }
    std::mt19937_64& rng() { return rng_; }

    // A signed event with the given fields by author `author` (an index).
    Event make(std::uint16_t kind, std::string content, Tags tags, std::int64_t created_at, std::size_t author) {
        Event e;
        e.kind = kind;
        e.content = std::move(content);
        e.tags = std::move(tags);
        e.created_at = created_at;
        sign_event(e, keys_.at(author));
        return e;
    }

    // The next event of the realistic mix.
    Event next() {
        const std::size_t author = pick_author();
        const std::int64_t created = pick_time();
        const int roll = uniform(0, 99);
        if (roll < 35) return make(1, sentence(5, 80), note_tags(), created, author);
        if (roll < 60) return make(7, reaction(), {{"e", hex_id()}, {"p", some_pubkey()}}, created, author);
        if (roll < 64) return make(6, repost_json(), {{"e", hex_id(), relay()}, {"p", some_pubkey()}}, created, author);
        if (roll < 68) return make(0, profile_json(), {}, created, author);
        if (roll < 71) return make(3, "", contact_tags(), created, author);
        if (roll < 76) return make(4, ciphertext(), {{"p", some_pubkey()}}, created, author);
        if (roll < 82) return make(9735, "", zap_tags(), created, author);
        if (roll < 84) return make(10002, "", relay_list_tags(), created, author);
        if (roll < 85) return make(30023, article(), article_tags(), created, author);
        if (roll < 87) return make(5, "deleted", {{"e", hex_id()}, {"e", hex_id()}}, created, author);
        if (roll < 88) return make(static_cast<std::uint16_t>(uniform(20000, 20100)), sentence(1, 10), {}, created, author);
        if (roll < 90) return make(30078, profile_json(), {{"d", word() + "-settings"}}, created, author);
        if (roll < 92) return make(1984, sentence(3, 20), {{"p", some_pubkey(), "spam"}}, created, author);
        if (roll < 94) return make(static_cast<std::uint16_t>(uniform(45, 999)), sentence(2, 30), {}, created, author);
        if (roll < 96) return make(static_cast<std::uint16_t>(uniform(40000, 65535)), sentence(2, 30), {}, created, author);
        return make(1, sentence(20, 300), {{"t", word()}, {"t", word()}, {"r", "https://" + word() + ".com/" + word()}},
                    created, author);
    }

    std::vector<Event> batch(std::size_t n) {
        std::vector<Event> out;
        out.reserve(n);
        for (std::size_t i = 0; i < n; ++i) out.push_back(next());
        return out;
    }

    int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

    std::string word() {
        static const char* const kWords[] = {
            "nostr",   "relay",   "bitcoin", "lightning", "zap",     "note",     "freedom", "protocol", "client",
            "key",     "the",     "a",       "and",       "of",      "to",       "in",      "is",       "it",
            "you",     "that",    "was",     "for",       "on",      "are",      "with",    "they",     "be",
            "at",      "one",     "have",    "this",      "from",    "by",       "hot",     "word",     "but",
            "what",    "some",    "we",      "can",       "out",     "other",    "were",    "all",      "there",
            "when",    "up",      "use",     "your",      "how",     "said",     "an",      "each",     "she",
            "which",   "do",      "their",   "time",      "if",      "will",     "way",     "about",    "many",
            "then",    "them",    "write",   "would",     "like",    "so",       "these",   "her",      "long",
            "make",    "thing",   "see",     "him",       "two",     "has",      "look",    "more",     "day",
            "could",   "go",      "come",    "did",       "number",  "sound",    "no",      "most",     "people",
            "my",      "over",    "know",    "water",     "than",    "call",     "first",   "who",      "may",
            "down",    "side",    "been",    "now",       "find",    "gm",       "pv",      "plebs",    "sats",
            "node",    "wallet",  "coffee",  "morning",   "meme",    "photo",    "music",   "art",      "cat",
            "dog",     "weekend", "privacy", "censorship", "resist", "decentralized", "social", "network", "open",
            "source",  "code",    "rust",    "python",    "golang",  "server",   "signal",  "block",    "chain",
        };
        constexpr int n = static_cast<int>(sizeof kWords / sizeof kWords[0]);
        // Zipf-like: common words far more often.
        const double u = std::uniform_real_distribution<double>(0, 1)(rng_);
        return kWords[std::min(n - 1, static_cast<int>(std::pow(u, 2.2) * n))];
    }

    std::string sentence(int min_words, int max_words) {
        std::string s;
        const int n = uniform(min_words, max_words);
        for (int i = 0; i < n; ++i) {
            if (i) s += (uniform(0, 12) == 0) ? ". " : " ";
            s += word();
        }
        if (uniform(0, 4) == 0) s += " \xF0\x9F\x9A\x80";  // an emoji now and then
        if (uniform(0, 6) == 0) s += "\nhttps://nostr.build/i/" + hex_id().substr(0, 40) + ".jpg";
        return s;
    }

    std::string hex_id() {
        Bytes32 b;
        for (auto& x : b) x = static_cast<std::uint8_t>(rng_());
        return to_hex(b);
    }

    std::string some_pubkey() {
        // Mostly known authors (mentions cluster), sometimes strangers.
        if (uniform(0, 3) == 0) return hex_id();
        return to_hex(pubkeys_[pick_author()]);
    }

private:
    std::size_t pick_author() {
        const double u = std::uniform_real_distribution<double>(0, 1)(rng_);
        return std::min(keys_.size() - 1, static_cast<std::size_t>(std::pow(u, 3.0) * static_cast<double>(keys_.size())));
    }

    std::int64_t pick_time() {
        // Mostly the last months, some within the last hour/day, a tail of old ones.
        const int roll = uniform(0, 99);
        if (roll < 5) return now_ - uniform(0, 3599);
        if (roll < 15) return now_ - uniform(0, 86399);
        if (roll < 90) return now_ - uniform(0, 90 * 86400);
        return now_ - static_cast<std::int64_t>(uniform(0, 5 * 365)) * 86400 - uniform(0, 86399);
    }

    std::string reaction() {
        static const char* const kReactions[] = {"+", "+", "+", "\xE2\x9D\xA4\xEF\xB8\x8F", "\xF0\x9F\xA4\x99", "-", "\xF0\x9F\x94\xA5"};
        return kReactions[uniform(0, 6)];
    }

    std::string relay() { return "wss://" + word() + "." + word() + ".com"; }

    Tags note_tags() {
        Tags t;
        const int refs = uniform(0, 3);
        for (int i = 0; i < refs; ++i) {
            if (uniform(0, 1)) t.push_back({"e", hex_id(), relay(), i == 0 ? "root" : "reply"});
            else t.push_back({"p", some_pubkey()});
        }
        if (uniform(0, 3) == 0) t.push_back({"t", word()});
        return t;
    }

    Tags contact_tags() {
        Tags t;
        const int n = uniform(0, 3) == 0 ? uniform(200, 600) : uniform(5, 150);
        for (int i = 0; i < n; ++i) {
            if (uniform(0, 4) == 0) t.push_back({"p", some_pubkey(), relay(), word()});
            else t.push_back({"p", some_pubkey()});
        }
        return t;
    }

    Tags zap_tags() {
        std::string bolt11 = "lnbc" + std::to_string(uniform(1, 100000)) + "n1p";
        for (int i = 0; i < 6; ++i) bolt11 += hex_id();
        std::string description = R"({"kind":9734,"content":")" + sentence(0, 10) +
                                  R"(","tags":[["p",")" + some_pubkey() + R"("],["relays","wss://relay.damus.io","wss://nos.lol"]],"pubkey":")" +
                                  some_pubkey() + R"(","created_at":)" + std::to_string(now_) + R"(,"id":")" + hex_id() +
                                  R"(","sig":")" + hex_id() + hex_id() + R"("})";
        return {{"p", some_pubkey()}, {"e", hex_id()}, {"bolt11", bolt11.substr(0, 380)},
                {"description", description}, {"preimage", hex_id()}};
    }

    Tags relay_list_tags() {
        Tags t;
        const int n = uniform(2, 10);
        for (int i = 0; i < n; ++i) {
            if (uniform(0, 2) == 0) t.push_back({"r", relay(), uniform(0, 1) ? "read" : "write"});
            else t.push_back({"r", relay()});
        }
        return t;
    }

    Tags article_tags() {
        return {{"d", word() + "-" + word()}, {"title", sentence(3, 8)}, {"summary", sentence(10, 30)},
                {"published_at", std::to_string(now_ - uniform(0, 100000))}, {"t", word()}, {"t", word()}};
    }

    std::string repost_json() {
        return R"({"id":")" + hex_id() + R"(","pubkey":")" + some_pubkey() + R"(","created_at":)" +
               std::to_string(now_ - uniform(0, 100000)) + R"(,"kind":1,"tags":[],"content":")" + sentence(5, 60) +
               R"(","sig":")" + hex_id() + hex_id() + R"("})";
    }

    std::string profile_json() {
        const std::string name = word() + word();
        return R"({"name":")" + name + R"(","about":")" + sentence(5, 40) + R"(","picture":"https://nostr.build/i/)" +
               hex_id().substr(0, 32) + R"(.png","nip05":")" + name + R"(@)" + word() + R"(.com","lud16":")" + name +
               R"(@getalby.com"})";
    }

    std::string ciphertext() {
        static const char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        std::string s;
        const int n = uniform(24, 400) / 4 * 4;
        for (int i = 0; i < n; ++i) s += kB64[uniform(0, 63)];
        s += "?iv=";
        for (int i = 0; i < 22; ++i) s += kB64[uniform(0, 63)];
        return s + "==";
    }

    std::string article() {
        std::string s = "# " + sentence(3, 8) + "\n\n";
        const int paragraphs = uniform(3, 12);
        for (int i = 0; i < paragraphs; ++i) s += sentence(40, 120) + "\n\n";
        return s;
    }

    std::mt19937_64 rng_;
    std::int64_t now_;
    std::vector<SecretKey> keys_;
    std::vector<Bytes32> pubkeys_;
};

inline std::string to_jsonl(const std::vector<Event>& events) {
    std::string out;
    for (const auto& e : events) {
        append_json(e, out);
        out.push_back('\n');
    }
    return out;
}

}  // namespace brotr::test
