// Signs a fixed set of tricky events with nostr-tools and prints one line
// per event: <case name> TAB <event JSON> TAB <JSON string of nostr-tools'
// canonical serialization>. JSON.stringify never writes a raw tab, so the
// tab separators are unambiguous.
import { finalizeEvent, generateSecretKey, serializeEvent } from 'nostr-tools/pure'

const sk = generateSecretKey()

let controls = ''
for (let c = 0; c < 0x20; c++) controls += String.fromCharCode(c)

const manyTags = []
for (let i = 0; i < 500; i++) manyTags.push(['t', `tag-${i}`, i % 7 === 0 ? '' : 'x'])

const cases = [
  ['ascii', { kind: 1, content: 'hello nostr', tags: [] }],
  ['unicode', { kind: 1, content: 'ünïcödé 中文 العربية русский ελληνικά', tags: [['t', 'ünï']] }],
  ['emoji', { kind: 1, content: '🚀🤙 👨‍👩‍👧 🇯🇵 𝄞 ❤️', tags: [['emoji', 'rocket', '🚀']] }],
  ['control characters', { kind: 1, content: controls + '\u007f', tags: [['x', controls]] }],
  ['quotes and backslashes', { kind: 1, content: 'she said "hi" \\ path C:\\dir\\ \\"', tags: [['q', '"', '\\']] }],
  ['slashes and separators', { kind: 1, content: '</script> a/b \u2028 \u2029 \ufeff', tags: [] }],
  ['empty content', { kind: 1, content: '', tags: [] }],
  ['empty tags', { kind: 1, content: 'x', tags: [[], [''], ['e']] }],
  ['100 KB content', { kind: 30023, content: 'lorem ipsum "dolor" \n sit amet é 🚀 '.repeat(3000), tags: [['d', 'long']] }],
  ['many tags', { kind: 3, content: 'follows', tags: manyTags }],
  ['kind 0 and epoch', { kind: 0, content: '{"name":"x"}', tags: [], created_at: 0 }],
  ['kind 65535', { kind: 65535, content: 'max kind', tags: [] }],
  ['large created_at', { kind: 1, content: 'future', tags: [], created_at: 4102444800 }],
  // A lone UTF-16 surrogate cannot be UTF-8: brotr rejects it (invalid_utf8)
  // while nostr-tools hashes it as U+FFFD.
  ['lone surrogate', { kind: 1, content: 'bad \ud800 surrogate', tags: [] }],
]

for (const [name, template] of cases) {
  const event = finalizeEvent({ created_at: 1700000000, ...template }, sk)
  const line = [name, JSON.stringify(event), JSON.stringify(serializeEvent(event))].join('\t')
  process.stdout.write(line + '\n')
}
