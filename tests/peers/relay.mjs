// A real Nostr relay for the integration tests: the third-party
// @nostr-relay packages (core, sqlite repository, validator) behind a `ws`
// WebSocket server, with the NIP-11 document served on the same port.
//
//   node relay.mjs [--port N] [--host H] [--db PATH] [--load FILE.jsonl]
//                  [--nip11 JSON] [--reject-writes] [--min-pow BITS]
//                  [--auth HOSTNAME] [--no-deflate]
//
// Every option can also come from the environment (RELAY_PORT, RELAY_HOST,
// RELAY_DB, RELAY_LOAD, RELAY_NIP11, RELAY_REJECT_WRITES=1, RELAY_MIN_POW,
// RELAY_AUTH, RELAY_NO_DEFLATE=1). Port 0 (the default) lets the system pick a
// free port. When the relay accepts connections it prints one line
// `ready port=<port>` on stdout; errors go to stderr with a non-zero exit.
//
// --load inserts the events of a JSONL file straight into the repository
// before listening (no signature checks: the relay itself only accepts about
// 300 signed events per second). --reject-writes answers every EVENT with
// OK false. --min-pow enforces NIP-13 proof of work on EVENT and announces it
// as limitation.min_pow_difficulty. --auth enables NIP-42 with that host name.
import http from 'node:http';
import process from 'node:process';
import { WebSocketServer } from 'ws';
import { NostrRelay } from '@nostr-relay/core';
import { EventRepositorySqlite } from '@nostr-relay/event-repository-sqlite';
import { Validator } from '@nostr-relay/validator';
import { loadJsonlInto } from './relay-loader.mjs';

function parseOptions(argv, env) {
  const opts = {
    port: Number(env.RELAY_PORT ?? 0),
    host: env.RELAY_HOST ?? '127.0.0.1',
    db: env.RELAY_DB ?? ':memory:',
    load: env.RELAY_LOAD ?? null,
    nip11: env.RELAY_NIP11 ? JSON.parse(env.RELAY_NIP11) : {},
    rejectWrites: env.RELAY_REJECT_WRITES === '1',
    minPow: env.RELAY_MIN_POW ? Number(env.RELAY_MIN_POW) : 0,
    auth: env.RELAY_AUTH ?? null,
    deflate: env.RELAY_NO_DEFLATE !== '1',
  };
  for (let i = 2; i < argv.length; ++i) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${arg} needs a value`);
      return argv[++i];
    };
    switch (arg) {
      case '--port': opts.port = Number(value()); break;
      case '--host': opts.host = value(); break;
      case '--db': opts.db = value(); break;
      case '--load': opts.load = value(); break;
      case '--nip11': opts.nip11 = JSON.parse(value()); break;
      case '--reject-writes': opts.rejectWrites = true; break;
      case '--min-pow': opts.minPow = Number(value()); break;
      case '--auth': opts.auth = value(); break;
      case '--no-deflate': opts.deflate = false; break;
      default: throw new Error(`unknown option ${arg}`);
    }
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) {
    throw new Error(`invalid port ${opts.port}`);
  }
  if (!Number.isInteger(opts.minPow) || opts.minPow < 0 || opts.minPow > 256) {
    throw new Error(`invalid --min-pow ${opts.minPow}`);
  }
  return opts;
}

// Number of leading zero bits of a hex event id (NIP-13).
function leadingZeroBits(hexId) {
  let bits = 0;
  for (const ch of hexId) {
    const nibble = parseInt(ch, 16);
    if (nibble === 0) { bits += 4; continue; }
    bits += Math.clz32(nibble) - 28;
    break;
  }
  return bits;
}

// Guards applied before the library handles an EVENT (its plugin interface).
function writeGuard(opts) {
  return {
    beforeHandleEvent(event) {
      if (opts.rejectWrites) {
        return { canHandle: false, message: 'blocked: this relay does not accept events' };
      }
      if (opts.minPow > 0 && leadingZeroBits(event.id) < opts.minPow) {
        return { canHandle: false, message: `pow: difficulty ${leadingZeroBits(event.id)} is less than ${opts.minPow}` };
      }
      return { canHandle: true };
    },
  };
}

function nip11Document(opts) {
  const doc = {
    name: 'brotr test relay',
    description: '@nostr-relay/core with the sqlite repository, for integration tests',
    software: 'https://github.com/CodyTseng/nostr-relay',
    version: '0.0.40',
    supported_nips: [1, 11, 13, 42],
    ...opts.nip11,
  };
  const limitation = { ...(doc.limitation ?? {}) };
  if (opts.minPow > 0) limitation.min_pow_difficulty = opts.minPow;
  if (opts.auth) limitation.auth_required = false;
  if (opts.rejectWrites) limitation.restricted_writes = true;
  if (Object.keys(limitation).length > 0) doc.limitation = limitation;
  return doc;
}

async function main() {
  const opts = parseOptions(process.argv, process.env);
  const repository = new EventRepositorySqlite(opts.db);
  await repository.init();
  if (opts.load) {
    const loaded = await loadJsonlInto(repository, opts.load);
    process.stderr.write(`loaded ${loaded.inserted} events (${loaded.duplicates} duplicates) from ${opts.load}\n`);
  }

  // The library caches query results and event handling results by default,
  // which makes answers stale between a write and the next read: off.
  const relay = new NostrRelay(repository, {
    hostname: opts.auth ?? undefined,
    filterResultCacheTtl: 0,
    eventHandlingResultCacheTtl: 0,
    logLevel: 3,
  });
  relay.register(writeGuard(opts));
  const validator = new Validator();
  const nip11 = JSON.stringify(nip11Document(opts));

  const server = http.createServer((req, res) => {
    const accept = req.headers.accept ?? '';
    if (req.method === 'GET' && accept.includes('application/nostr+json')) {
      res.writeHead(200, {
        'Content-Type': 'application/nostr+json',
        'Access-Control-Allow-Origin': '*',
      });
      res.end(nip11);
      return;
    }
    res.writeHead(426, { 'Content-Type': 'text/plain' });
    res.end('this is a Nostr relay: connect with a WebSocket\n');
  });

  const wss = new WebSocketServer({
    server,
    perMessageDeflate: opts.deflate ? { threshold: 256 } : false,
  });
  wss.on('connection', (ws, req) => {
    relay.handleConnection(ws, req.socket.remoteAddress);
    ws.on('message', async (data) => {
      try {
        const message = await validator.validateIncomingMessage(data);
        await relay.handleMessage(ws, message);
      } catch (error) {
        if (ws.readyState === ws.OPEN) {
          ws.send(JSON.stringify(['NOTICE', error instanceof Error ? error.message : 'invalid message']));
        }
      }
    });
    ws.on('close', () => relay.handleDisconnect(ws));
    ws.on('error', () => relay.handleDisconnect(ws));
  });

  const shutdown = async () => {
    for (const client of wss.clients) client.terminate();
    wss.close();
    server.close();
    await relay.destroy();
    await repository.destroy();
    process.exit(0);
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);

  server.listen(opts.port, opts.host, () => {
    process.stdout.write(`ready port=${server.address().port}\n`);
  });
}

main().catch((error) => {
  process.stderr.write(`relay.mjs: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
