import type { Socket } from 'node:net';

/**
 * Caps one connection's request-body throughput (`--conn-bandwidth`), so parallel parts help as
 * they do on a real WAN where each TCP connection is limited by its own window and RTT.
 * A token bucket holding 20 ms of traffic; the caller waits the returned time before taking
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

/** The shaper of this connection: every request on a keep-alive socket shares one budget. */
export function shaperFor(socket: Socket, bytesPerSecond: number): BandwidthShaper {
  let shaper = shapers.get(socket);
  if (!shaper) {
    shaper = new BandwidthShaper(bytesPerSecond);
    shapers.set(socket, shaper);
  }
  return shaper;
}
