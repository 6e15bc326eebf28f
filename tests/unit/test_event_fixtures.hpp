// Events shared by the event tests.
#pragma once

#include <string>

namespace brotr::test {

// Signed by nostr-tools (an independent implementation): content with
// quotes, a backslash, a newline, a tab, a control character, accents and
// an emoji; two tags.
inline const std::string kNostrToolsEvent =
    R"({"kind":1,"created_at":1700000000,"tags":[["e","5c83da77af1dec6d7289834998ad7aafbd9e2191396d75ec3cc27f5a77226f36","wss://relay.example.com"],["t","nostr"]],"content":"hello \"world\" \\ \n\t\u0001 ünïcödé 🚀","pubkey":"06df44c37a99b83a71ecb5884714b1174f63563c842e2ff98a64b1538e2f6fba","id":"813be683d6cb8d95a96ace40c8c6eb8c97b87cfa63ee7dcfb82d6c5b59da3265","sig":"9914b3ce5827c96687b6816dab9734f658066718079408b21241e8b64821064e91d0471fbfe7f57800d3baf2b742afbbfd2edc651cd10aadb7efabd419df6b81"})";

}  // namespace brotr::test
