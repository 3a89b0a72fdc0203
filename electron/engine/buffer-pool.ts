/**
 * A bounded set of part-sized buffers: at most P + 1 per job (P in flight, one being read), so
 * memory stays the same whatever the file's size (DESIGN.md section 2.3). The bound is read at
 * every acquire, so raising parts in parallel mid-upload takes effect at once, and lowering it
 * lets the buffers above the new bound go as they come back.
 */
export class BufferPool {
  readonly bufferBytes: number;
  readonly #maxBuffers: () => number;
  #allocated = 0;
  #free: Buffer[] = [];
  #waiters: Array<(buffer: Buffer) => void> = [];

  constructor(bufferBytes: number, maxBuffers: number | (() => number)) {
    this.bufferBytes = bufferBytes;
    this.#maxBuffers = typeof maxBuffers === 'number' ? () => maxBuffers : maxBuffers;
  }

  get maxBuffers(): number {
    return this.#maxBuffers();
  }

  get allocated(): number {
    return this.#allocated;
  }

  acquire(): Promise<Buffer> {
    const free = this.#free.pop();
    if (free) return Promise.resolve(free);
    if (this.#allocated < this.#maxBuffers()) {
      this.#allocated += 1;
      // Outside Node's shared slab: these are large and live for the whole upload.
      return Promise.resolve(Buffer.allocUnsafeSlow(this.bufferBytes));
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  release(buffer: Buffer): void {
    if (this.#allocated > this.#maxBuffers()) {
      this.#allocated -= 1; // above a lowered bound: let it go
      return;
    }
    const waiter = this.#waiters.shift();
    if (waiter) waiter(buffer);
    else this.#free.push(buffer);
  }
}
