// Reads events, one JSON object per line on stdin, and prints per line
// <verifyEvent result> TAB <getEventHash>, as nostr-tools sees them, or
// "error" TAB <message> when the line cannot be used.
import { getEventHash, verifyEvent } from 'nostr-tools/pure'
import { createInterface } from 'node:readline'

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity })
for await (const line of lines) {
  if (line.trim() === '') continue
  try {
    const event = JSON.parse(line)
    const hash = getEventHash(event)
    process.stdout.write(`${verifyEvent(event)}\t${hash}\n`)
  } catch (e) {
    process.stdout.write(`error\t${String(e.message).replace(/\s+/g, ' ')}\n`)
  }
}
