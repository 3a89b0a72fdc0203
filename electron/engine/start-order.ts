import TinyQueue from 'tinyqueue';

/**
 * Candidates to start, smallest rank first: a priority queue (tinyqueue's binary heap). The queue
 * ranks jobs by the order they were added, so picking the next job costs O(log jobs) instead of a
 * walk over every job (done ones included) each time a job ends, which made a 10,000-file drop
 * O(n²). An item may be in it more than once, or no longer startable: whoever takes it checks.
 */
export class StartOrder<T> {
  readonly #heap = new TinyQueue<{ rank: number; item: T }>([], (a, b) => a.rank - b.rank);

  get size(): number {
    return this.#heap.length;
  }

  push(rank: number, item: T): void {
    this.#heap.push({ rank, item });
  }

  /** The item of smallest rank, left in place. */
  peek(): T | undefined {
    return this.#heap.peek()?.item;
  }

  /** Takes out the item of smallest rank. */
  pop(): T | undefined {
    return this.#heap.pop()?.item;
  }
}
