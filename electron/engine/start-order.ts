/**
 * Candidates to start, smallest rank first: a binary min-heap. The queue ranks jobs by the order
 * they were added, so picking the next job costs O(log jobs) instead of a walk over every job
 * (done ones included) each time a job ends, which made a 10,000-file drop O(n²).
 * An item may be in it more than once, or no longer startable: whoever takes it checks.
 */
export class StartOrder<T> {
  readonly #heap: Array<{ rank: number; item: T }> = [];

  get size(): number {
    return this.#heap.length;
  }

  push(rank: number, item: T): void {
    const heap = this.#heap;
    heap.push({ rank, item });
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (heap[parent]!.rank <= heap[index]!.rank) break;
      [heap[parent], heap[index]] = [heap[index]!, heap[parent]!];
      index = parent;
    }
  }

  /** The item of smallest rank, left in place. */
  peek(): T | undefined {
    return this.#heap[0]?.item;
  }

  /** Takes out the item of smallest rank. */
  pop(): T | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (!top || !last || heap.length === 0) return top?.item;
    heap[0] = last;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let smallest = index;
      if (left < heap.length && heap[left]!.rank < heap[smallest]!.rank) smallest = left;
      if (right < heap.length && heap[right]!.rank < heap[smallest]!.rank) smallest = right;
      if (smallest === index) break;
      [heap[smallest], heap[index]] = [heap[index]!, heap[smallest]!];
      index = smallest;
    }
    return top.item;
  }
}
