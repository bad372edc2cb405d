/** A token bucket: `ratePerSec` tokens per second, holding at most one second's worth (at least 1). */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly capacity: number;

  constructor(
    readonly ratePerSec: number,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.capacity = Math.max(1, ratePerSec);
    this.tokens = this.capacity;
    this.last = clock();
  }

  /** Takes one token; returns 0 when allowed, else the seconds to wait (≥ 1, for Retry-After). */
  take(): number {
    const t = this.clock();
    this.tokens = Math.min(this.capacity, this.tokens + ((t - this.last) / 1000) * this.ratePerSec);
    this.last = t;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - this.tokens) / this.ratePerSec));
  }
}
