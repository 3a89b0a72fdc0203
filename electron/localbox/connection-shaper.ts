import type { Socket } from 'node:net';

/**
 * Caps request-body throughput: one connection's (`--conn-bandwidth`), so parallel parts help as
 * they do on a real WAN where each TCP connection is limited by its own window and RTT, or all
 * connections' together (`--total-bandwidth`). A token bucket holding 20 ms of traffic; the caller waits the returned time before taking
 * more bytes off the socket, and TCP backpressure slows the sender.
 */
export class BandwidthShaper {
  readonly #bytesPerSecond: number;
  readonly #burstBytes: number;
  #availableBytes: number;
  #lastRefillMs = performance.now();

  constructor(bytesPerSecond: number) {
    this.#bytesPerSecond = bytesPerSecond;
    this.#burstBytes = Math.max(16 * 1024, bytesPerSecond / 50);
    this.#availableBytes = this.#burstBytes;
  }

  /** Takes `bytes` from the bucket; returns how long to wait before reading more, in ms. */
  take(bytes: number): number {
    const nowMs = performance.now();
    const refill = ((nowMs - this.#lastRefillMs) / 1000) * this.#bytesPerSecond;
    this.#availableBytes = Math.min(this.#burstBytes, this.#availableBytes + refill);
    this.#lastRefillMs = nowMs;
    this.#availableBytes -= bytes;
    return this.#availableBytes >= 0 ? 0 : (-this.#availableBytes / this.#bytesPerSecond) * 1000;
  }
}

const shapers = new WeakMap<Socket, BandwidthShaper>();

/**
 * The shapers a request body passes through: its connection's (`--conn-bandwidth`) and the one
 * all connections share (`--total-bandwidth`, a link limited in total, such as a home uplink,
 * where more connections do not help). Returns how long to wait before reading more, in ms.
 */
export function takeFromShapers(shapers: readonly (BandwidthShaper | undefined)[], bytes: number): number {
  let waitMs = 0;
  for (const shaper of shapers) if (shaper) waitMs = Math.max(waitMs, shaper.take(bytes));
  return waitMs;
}

/** The shaper of this connection: every request on a keep-alive socket shares one budget. */
export function shaperFor(socket: Socket, bytesPerSecond: number): BandwidthShaper {
  let shaper = shapers.get(socket);
  if (!shaper) {
    shaper = new BandwidthShaper(bytesPerSecond);
    shapers.set(socket, shaper);
  }
  return shaper;
}
