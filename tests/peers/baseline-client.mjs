// The baseline the synchronizer benchmark compares against: a plain
// nostr-tools client pulling every event of one relay with standard `until`
// pagination (REQ {limit}, then `until` = the oldest created_at received,
// duplicates dropped by id, until a page brings nothing new). nostr-tools'
// Relay checks every event's id and signature (pure JavaScript) unless
// --no-verify is given; events are kept in memory only.
//
//   node baseline-client.mjs --url ws://127.0.0.1:PORT [--limit 500]
//                            [--since UNIX] [--until UNIX] [--no-verify]
//
// Prints one line:
//   baseline events=N requests=R seconds=S rate=EVENTS_PER_S max_rss_kb=K
import process from 'node:process';
import WebSocket from 'ws';
import { Relay, useWebSocketImplementation } from 'nostr-tools/relay';
import { verifyEvent } from 'nostr-tools/pure';

useWebSocketImplementation(WebSocket);

function parseOptions(args) {
  const opts = { url: null, limit: 500, since: null, until: null, verify: true };
  for (let i = 0; i < args.length; ++i) {
    const arg = args[i];
    const value = () => {
      if (i + 1 >= args.length) throw new Error(`${arg} needs a value`);
      return args[++i];
    };
    switch (arg) {
      case '--url': opts.url = value(); break;
      case '--limit': opts.limit = Number(value()); break;
      case '--since': opts.since = Number(value()); break;
      case '--until': opts.until = Number(value()); break;
      case '--no-verify': opts.verify = false; break;
      default: throw new Error(`unknown option ${arg}`);
    }
  }
  if (!opts.url) throw new Error('--url is required');
  if (!Number.isInteger(opts.limit) || opts.limit < 1) throw new Error('--limit needs a positive integer');
  return opts;
}

// One REQ until EOSE (or CLOSED): the events in the order received.
function fetchPage(relay, filter) {
  return new Promise((resolve) => {
    const events = [];
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      resolve(events);
    };
    const sub = relay.subscribe([filter], {
      onevent(event) { events.push(event); },
      oneose() { sub.close(); finish(); },
      onclose() { finish(); },
    });
  });
}

async function main() {
  const opts = parseOptions(process.argv.slice(2));
  const started = process.hrtime.bigint();
  const relay = await Relay.connect(opts.url, { verifyEvent: opts.verify ? verifyEvent : () => true });
  const seen = new Set();
  let until = opts.until;
  let requests = 0;
  for (;;) {
    const filter = { limit: opts.limit };
    if (opts.since !== null) filter.since = opts.since;
    if (until !== null) filter.until = until;
    const page = await fetchPage(relay, filter);
    ++requests;
    let fresh = 0;
    let oldest = Infinity;
    for (const event of page) {
      if (!seen.has(event.id)) {
        seen.add(event.id);
        ++fresh;
      }
      if (event.created_at < oldest) oldest = event.created_at;
    }
    if (page.length === 0 || fresh === 0) break;
    until = oldest;
  }
  relay.close();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rate = seen.size / seconds;
  process.stdout.write(
    `baseline events=${seen.size} requests=${requests} seconds=${seconds.toFixed(3)} ` +
      `rate=${rate.toFixed(1)} max_rss_kb=${process.resourceUsage().maxRSS}\n`,
  );
  process.exit(0);
}

main().catch((error) => {
  process.stderr.write(`baseline-client.mjs: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
