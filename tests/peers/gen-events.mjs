// Writes signed Nostr events as JSONL on stdout, signed by nostr-tools (an
// implementation independent of brotr's), for test corpora.
//
//   node gen-events.mjs --count N [--start UNIX] [--per-second K] [--kind K]
//                       [--secret HEX] [--content TEXT] [--tag NAME=VALUE]...
//
// Event i has created_at = start + floor(i / per-second), so with
// --per-second > 1 many events share the same second (the case that breaks
// naive `until` pagination). Content is "<TEXT> #i". Defaults: start
// 1700000000, per-second 1, kind 1, a fresh random key, content "event".
import process from 'node:process';
import { initNostrWasm } from 'nostr-wasm';
import { finalizeEvent, generateSecretKey, setNostrWasm } from 'nostr-tools/wasm';

function hexToBytes(hex) {
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error('--secret needs 64 lower-case hex characters');
  return Uint8Array.from(hex.match(/../g).map((b) => parseInt(b, 16)));
}

function parseOptions(args) {
  const opts = { count: null, start: 1700000000, perSecond: 1, kind: 1, secret: null, content: 'event', tags: [] };
  for (let i = 0; i < args.length; ++i) {
    const arg = args[i];
    if (i + 1 >= args.length) throw new Error(`${arg} needs a value`);
    const value = args[++i];
    switch (arg) {
      case '--count': opts.count = Number(value); break;
      case '--start': opts.start = Number(value); break;
      case '--per-second': opts.perSecond = Number(value); break;
      case '--kind': opts.kind = Number(value); break;
      case '--secret': opts.secret = hexToBytes(value); break;
      case '--content': opts.content = value; break;
      case '--tag': {
        const eq = value.indexOf('=');
        if (eq <= 0) throw new Error('--tag needs NAME=VALUE');
        opts.tags.push([value.slice(0, eq), value.slice(eq + 1)]);
        break;
      }
      default: throw new Error(`unknown option ${arg}`);
    }
  }
  for (const [name, v] of [['--count', opts.count], ['--start', opts.start], ['--per-second', opts.perSecond], ['--kind', opts.kind]]) {
    if (!Number.isInteger(v) || v < 0) throw new Error(`${name} needs a non-negative integer`);
  }
  if (opts.perSecond === 0) throw new Error('--per-second must be at least 1');
  if (opts.kind > 65535) throw new Error('--kind must be at most 65535');
  return opts;
}

async function main() {
  // libsecp256k1 compiled to wasm signs about 6x faster than the pure JS code.
  setNostrWasm(await initNostrWasm());
  const opts = parseOptions(process.argv.slice(2));
  const secret = opts.secret ?? generateSecretKey();
  const out = [];
  for (let i = 0; i < opts.count; ++i) {
    const event = finalizeEvent({
      kind: opts.kind,
      created_at: opts.start + Math.floor(i / opts.perSecond),
      tags: opts.tags,
      content: `${opts.content} #${i}`,
    }, secret);
    out.push(JSON.stringify(event));
    if (out.length >= 1000) {
      process.stdout.write(out.join('\n') + '\n');
      out.length = 0;
    }
  }
  if (out.length > 0) process.stdout.write(out.join('\n') + '\n');
}

main().catch((error) => {
  process.stderr.write(`gen-events.mjs: ${error.message}\n`);
  process.exit(1);
});
