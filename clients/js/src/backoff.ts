/**
 * Reconnect delays with full jitter: a random delay up to min(max, initial × 2^attempt), so that a node's clients,
 * dropped together, do not all come back together.
 */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly initialMs = 500,
    private readonly maxMs = 30_000,
    private readonly random: () => number = Math.random,
  ) {}

  next(): number {
    const ceiling = Math.min(this.maxMs, this.initialMs * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 30);
    return Math.floor(this.random() * ceiling);
  }

  reset(): void {
    this.attempt = 0;
  }
}

/**
 * How long a message not yet acked waits before it goes again after its `transmissions`-th time: `firstMs`,
 * doubling with each time, at most `maxMs`, so that a backlog during an outage is not multiplied by resends.
 */
export function resendMs(transmissions: number, firstMs: number, maxMs: number): number {
  return Math.min(maxMs, firstMs * 2 ** Math.min(Math.max(transmissions - 1, 0), 20));
}
