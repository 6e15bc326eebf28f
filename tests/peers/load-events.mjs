// Loads a JSONL file of events into the sqlite file of a relay started by
// relay.mjs (it may be running: sqlite's WAL mode allows it).
//
//   node load-events.mjs --db PATH FILE.jsonl
//
// Prints `loaded inserted=<n> duplicates=<m>` on stdout.
import process from 'node:process';
import { EventRepositorySqlite } from '@nostr-relay/event-repository-sqlite';
import { loadJsonlInto } from './relay-loader.mjs';

async function main() {
  const args = process.argv.slice(2);
  let db = null;
  let file = null;
  for (let i = 0; i < args.length; ++i) {
    if (args[i] === '--db' && i + 1 < args.length) db = args[++i];
    else if (file === null && !args[i].startsWith('--')) file = args[i];
    else throw new Error(`unexpected argument ${args[i]}`);
  }
  if (!db || !file) throw new Error('usage: load-events.mjs --db PATH FILE.jsonl');
  const repository = new EventRepositorySqlite(db);
  await repository.init();
  try {
    const { inserted, duplicates } = await loadJsonlInto(repository, file);
    process.stdout.write(`loaded inserted=${inserted} duplicates=${duplicates}\n`);
  } finally {
    await repository.destroy();
  }
}

main().catch((error) => {
  process.stderr.write(`load-events.mjs: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
