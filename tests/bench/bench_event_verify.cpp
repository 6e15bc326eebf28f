// How much parsing and hashing add to signature verification.
//
// In one run, on the same generated events (content of ~100 B to 2 KB with
// some unicode and escapes, several tags):
//   raw   libsecp256k1 only: x-only pubkey parse + schnorrsig_verify on bytes
//         decoded beforehand;
//   full  the path every received event takes: parse the JSON, canonical
//         serialization, SHA-256, compare the id, then the same verify;
//         measured for parse_and_check_event() (what services call) and for
//         parse_event() followed by check_event().
// Time is the CPU time of this thread, and rounds alternate between the
// paths with the best round of each counting, which keeps the ratio honest
// on a machine busy with other work. Goal: full >= 90% of raw on one core.
#include <secp256k1_extrakeys.h>
#include <secp256k1_schnorrsig.h>

#include <algorithm>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "brotr/event.hpp"
#include "brotr/hex.hpp"
#include "brotr/keys.hpp"
#include "nostr/secp256k1_context.hpp"

namespace {

// CPU time of the calling thread, in seconds.
double thread_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

std::string random_hex(std::mt19937_64& rng, std::size_t bytes) {
    std::vector<std::uint8_t> b(bytes);
    for (auto& x : b) x = static_cast<std::uint8_t>(rng());
    return brotr::to_hex(b);
}

// Prose-like text: mostly ASCII words, some accents and emoji, newlines and
// the occasional quote, like notes on real relays.
std::string random_content(std::mt19937_64& rng, std::size_t length) {
    static const char* const words[] = {"nostr", "relay", "the", "of", "zap", "bitcoin", "note", "hello", "world",
                                        "café", "naïve", "日本語", "🚀", "🤙", "\"quoted\"", "line\n", "https://example.com/p/1",
                                        "and", "a", "to"};
    std::string out;
    while (out.size() < length) {
        out += words[rng() % std::size(words)];
        out += ' ';
    }
    return out;
}

std::vector<brotr::Event> make_events(std::size_t count) {
    std::mt19937_64 rng(42);
    std::vector<brotr::SecretKey> keys;
    for (int i = 0; i < 16; ++i) keys.push_back(brotr::generate_secret_key());
    std::vector<brotr::Event> events;
    events.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        brotr::Event e;
        e.created_at = 1700000000 + static_cast<std::int64_t>(rng() % 10000000);
        e.kind = (i % 5 == 0) ? 7 : 1;
        e.content = random_content(rng, 100 + rng() % 1900);
        const std::size_t tag_count = 2 + rng() % 5;
        for (std::size_t t = 0; t < tag_count; ++t) {
            switch (t % 4) {
                case 0: e.tags.push_back({"e", random_hex(rng, 32), "wss://relay.example.com", "reply"}); break;
                case 1: e.tags.push_back({"p", random_hex(rng, 32)}); break;
                case 2: e.tags.push_back({"t", "nostr"}); break;
                default: e.tags.push_back({"client", "brotr-bench"}); break;
            }
        }
        brotr::sign_event(e, keys[i % keys.size()]);
        events.push_back(std::move(e));
    }
    return events;
}

struct Decoded {
    std::array<unsigned char, 32> pubkey;
    std::array<unsigned char, 32> id;
    std::array<unsigned char, 64> sig;
};

double seconds_since(double start) { return thread_seconds() - start; }

// Events per second of one pass; exits if anything fails to verify.
double raw_pass(const std::vector<Decoded>& decoded) {
    const secp256k1_context* ctx = brotr::detail::secp256k1_shared_context();
    std::size_t ok = 0;
    const double start = thread_seconds();
    for (const auto& d : decoded) {
        secp256k1_xonly_pubkey pk;
        if (secp256k1_xonly_pubkey_parse(ctx, &pk, d.pubkey.data()) == 1 &&
            secp256k1_schnorrsig_verify(ctx, d.sig.data(), d.id.data(), d.id.size(), &pk) == 1) {
            ++ok;
        }
    }
    const double elapsed = seconds_since(start);
    if (ok != decoded.size()) {
        std::fprintf(stderr, "raw verify failed for %zu events\n", decoded.size() - ok);
        std::exit(1);
    }
    return static_cast<double>(decoded.size()) / elapsed;
}

double full_pass(const std::vector<std::string>& jsons) {
    std::size_t ok = 0;
    const double start = thread_seconds();
    for (const auto& json : jsons) {
        if (brotr::parse_and_check_event(json).error == brotr::EventError::ok) ++ok;
    }
    const double elapsed = seconds_since(start);
    if (ok != jsons.size()) {
        std::fprintf(stderr, "full verify failed for %zu events\n", jsons.size() - ok);
        std::exit(1);
    }
    return static_cast<double>(jsons.size()) / elapsed;
}

double separate_pass(const std::vector<std::string>& jsons) {
    std::size_t ok = 0;
    const double start = thread_seconds();
    for (const auto& json : jsons) {
        const auto parsed = brotr::parse_event(json);
        if (parsed.event && brotr::check_event(*parsed.event) == brotr::EventError::ok) ++ok;
    }
    const double elapsed = seconds_since(start);
    if (ok != jsons.size()) {
        std::fprintf(stderr, "parse_event + check_event failed for %zu events\n", jsons.size() - ok);
        std::exit(1);
    }
    return static_cast<double>(jsons.size()) / elapsed;
}

// The parts of the full path without the signature check, for profiling.
double parse_pass(const std::vector<std::string>& jsons) {
    std::size_t tags = 0;
    const double start = thread_seconds();
    for (const auto& json : jsons) tags += brotr::parse_event(json).event->tags.size();
    const double elapsed = seconds_since(start);
    if (tags == 0) std::exit(1);
    return static_cast<double>(jsons.size()) / elapsed;
}

double hash_pass(const std::vector<brotr::Event>& events) {
    std::size_t matches = 0;
    const double start = thread_seconds();
    for (const auto& e : events) matches += brotr::compute_event_id(e) == e.id ? 1 : 0;
    const double elapsed = seconds_since(start);
    if (matches != events.size()) std::exit(1);
    return static_cast<double>(events.size()) / elapsed;
}

}  // namespace

int main(int argc, char** argv) {
    const std::size_t count = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 4000;
    const int rounds = argc > 2 ? std::atoi(argv[2]) : 5;
    const auto events = make_events(count);
    std::vector<std::string> jsons;
    std::vector<Decoded> decoded;
    std::size_t json_bytes = 0;
    for (const auto& e : events) {
        jsons.push_back(brotr::to_json(e));
        json_bytes += jsons.back().size();
        Decoded d;
        std::copy(e.pubkey.begin(), e.pubkey.end(), d.pubkey.begin());
        std::copy(e.id.begin(), e.id.end(), d.id.begin());
        std::copy(e.sig.begin(), e.sig.end(), d.sig.begin());
        decoded.push_back(d);
    }
    std::printf("bench_event_verify: %zu events, average JSON size %zu bytes, %d rounds, best round counts\n",
                count, json_bytes / count, rounds);

    double raw = 0, full = 0, separate = 0, parse = 0, hash = 0;
    for (int r = 0; r < rounds; ++r) {
        raw = std::max(raw, raw_pass(decoded));
        full = std::max(full, full_pass(jsons));
        separate = std::max(separate, separate_pass(jsons));
        parse = std::max(parse, parse_pass(jsons));
        hash = std::max(hash, hash_pass(events));
    }
    std::printf("  raw verify (pubkey parse + schnorrsig_verify): %10.0f events/s  %7.2f us/event\n", raw,
                1e6 / raw);
    std::printf("  full path, parse_and_check_event:              %10.0f events/s  %7.2f us/event\n", full,
                1e6 / full);
    std::printf("  full path, parse_event + check_event:          %10.0f events/s  %7.2f us/event\n", separate,
                1e6 / separate);
    std::printf("    of which JSON parse alone:                   %10.0f events/s  %7.2f us/event\n", parse,
                1e6 / parse);
    std::printf("    of which serialize + sha256 alone:           %10.0f events/s  %7.2f us/event\n", hash,
                1e6 / hash);
    std::printf("  full / raw = %.1f%% (goal >= 90%%); parse_event + check_event / raw = %.1f%%\n",
                100.0 * full / raw, 100.0 * separate / raw);
    return 0;
}
