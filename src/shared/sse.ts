// Server-Sent Events as `GET /v1/events` sends them, read from a byte stream: one parser for
// the browser UI and the terminal client.
import type { ApiEvent } from './events';

/** Splits an SSE byte stream into events; returns the unparsed rest. */
export function parseSse(buffer: string, emit: (event: ApiEvent) => void): string {
  const blocks = buffer.split('\n\n');
  // split gives at least one part: the text after the last blank line, maybe empty.
  const rest = blocks.pop() as string;
  for (const block of blocks) {
    const data = block
      .split('\n')
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).replace(/^ /, ''))
      .join('\n');
    try {
      emit(JSON.parse(data) as ApiEvent);
    } catch {
      // Comments and keep-alives (no data) and malformed events are dropped; the next list
      // refresh corrects the view.
    }
  }
  return rest;
}
