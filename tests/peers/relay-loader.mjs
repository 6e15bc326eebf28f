// Bulk loading of events into the relay's sqlite repository, through the
// repository's own upsert (so its tables, tag index and full-text index stay
// consistent), without the relay's per-event signature checks.
import fs from 'node:fs';
import readline from 'node:readline';

// Inserts every event of a JSONL file (one event object per line, blank lines
// skipped). Returns { inserted, duplicates }. A line that is not a JSON object
// stops the load with an error naming the line.
export async function loadJsonlInto(repository, file) {
  const db = repository.getDatabase();
  // Durability is irrelevant for a test corpus; fsync per event is the cost.
  const previous = db.pragma('synchronous', { simple: true });
  db.pragma('synchronous = OFF');
  const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  let lineNo = 0;
  let inserted = 0;
  let duplicates = 0;
  try {
    for await (const line of lines) {
      ++lineNo;
      if (line.trim() === '') continue;
      let event;
      try {
        event = JSON.parse(line);
      } catch (error) {
        throw new Error(`${file}:${lineNo}: not JSON (${error.message})`);
      }
      if (typeof event !== 'object' || event === null || Array.isArray(event)) {
        throw new Error(`${file}:${lineNo}: not an event object`);
      }
      const result = await repository.upsert(event);
      if (result.isDuplicate) ++duplicates; else ++inserted;
    }
  } finally {
    db.pragma(`synchronous = ${previous}`);
  }
  return { inserted, duplicates };
}
