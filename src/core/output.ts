// A command may print gigabytes; the run record keeps only its start and its end (API.md,
// "Output capture"). Memory is bounded while the run is live too, so nothing here may
// grow with the input: the head fills once, the tail is a fixed ring overwritten in place.

export const OUTPUT_HEAD_BYTES = 128 * 1024;
export const OUTPUT_TAIL_BYTES = 128 * 1024;

export function droppedMarker(bytes: number): string {
  return `\n[… ${bytes} bytes dropped …]\n`;
}

export class OutputCapture {
  // Grown by doubling up to headBytes: a short output costs little, and bytes are copied
  // because a view would pin the stream's whole (often 64 KiB) chunk.
  private head = Buffer.alloc(0);
  private headLength = 0;
  // Allocated on first use: most commands print a few lines and never reach the tail.
  private ring: Buffer | null = null;
  private ringStart = 0; // index of the oldest kept tail byte
  private ringLength = 0;
  private total = 0;

  constructor(
    private readonly headBytes = OUTPUT_HEAD_BYTES,
    private readonly tailBytes = OUTPUT_TAIL_BYTES,
  ) {}

  push(chunk: Buffer): void {
    this.total += chunk.length;
    let rest = chunk;
    // Stryker disable next-line ConditionalExpression, EqualityOperator: head full: n is 0
    if (this.headLength < this.headBytes) {
      const n = Math.min(rest.length, this.headBytes - this.headLength);
      this.reserveHead(this.headLength + n);
      rest.copy(this.head, this.headLength, 0, n);
      this.headLength += n;
      rest = rest.subarray(n);
    }
    // Stryker disable next-line ConditionalExpression, EqualityOperator: empty rest: no-op
    if (rest.length > 0) this.pushTail(rest);
  }

  /** Bytes received in total, kept or not. */
  get totalBytes(): number {
    return this.total;
  }

  get droppedBytes(): number {
    return this.total - this.headLength - this.ringLength;
  }

  get truncated(): boolean {
    return this.droppedBytes > 0;
  }

  text(): string {
    const tail = this.tailBuffer();
    if (!this.truncated) {
      // Decoded as one piece so a character spanning head and tail stays whole.
      return Buffer.concat([this.head.subarray(0, this.headLength), tail]).toString('utf8');
    }
    return (
      this.head.toString('utf8', 0, this.headLength) +
      droppedMarker(this.droppedBytes) +
      tail.toString('utf8')
    );
  }

  private reserveHead(needed: number): void {
    // Stryker disable next-line ConditionalExpression, EqualityOperator: same bytes copied
    if (needed <= this.head.length) return;
    let size = Math.max(this.head.length, 256);
    // Stryker disable next-line EqualityOperator: one doubling more, capped: same bytes
    while (size < needed) size *= 2;
    // Stryker disable next-line MethodExpression: the whole head at once (memory), same bytes
    const grown = Buffer.alloc(Math.min(size, this.headBytes));
    this.head.copy(grown, 0, 0, this.headLength);
    this.head = grown;
  }

  private pushTail(bytes: Buffer): void {
    // Stryker disable next-line ConditionalExpression: no tail: every copy is of 0 bytes
    if (this.tailBytes === 0) return;
    const ring = (this.ring ??= Buffer.alloc(this.tailBytes));
    // Only the last tailBytes of a big chunk can survive; skip copying the rest.
    const data =
      // Stryker disable next-line EqualityOperator: subarray(0) is the chunk
      bytes.length > this.tailBytes ? bytes.subarray(bytes.length - this.tailBytes) : bytes;
    let writeAt = (this.ringStart + this.ringLength) % this.tailBytes;
    const first = Math.min(data.length, this.tailBytes - writeAt);
    data.copy(ring, writeAt, 0, first);
    data.copy(ring, 0, first);
    writeAt = (writeAt + data.length) % this.tailBytes;
    const length = this.ringLength + data.length;
    // Stryker disable next-line EqualityOperator: exactly full: writeAt is ringStart
    if (length > this.tailBytes) {
      this.ringLength = this.tailBytes;
      this.ringStart = writeAt; // the oldest bytes were just overwritten
    } else {
      this.ringLength = length;
    }
  }

  private tailBuffer(): Buffer {
    // Stryker disable next-line LogicalOperator, ConditionalExpression: same empty buffer
    if (!this.ring || this.ringLength === 0) return Buffer.alloc(0);
    const end = this.ringStart + this.ringLength;
    // Stryker disable next-line EqualityOperator: at end === tailBytes the 2nd part is empty
    if (end <= this.tailBytes) return this.ring.subarray(this.ringStart, end);
    return Buffer.concat([
      this.ring.subarray(this.ringStart),
      this.ring.subarray(0, end - this.tailBytes),
    ]);
  }
}
