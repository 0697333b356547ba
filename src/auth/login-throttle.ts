/**
 * Counts failed sign-ins per key (IP address, or an email that matches no account) in a
 * sliding window. In memory: one instance's view, which is what throttling needs; account
 * locks themselves are stored on the user row and hold across instances.
 */
export class FailureWindow {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxKeys = 50_000,
  ) {}

  isBlocked(key: string, nowMs: number): boolean {
    return this.recent(key, nowMs).length >= this.limit;
  }

  record(key: string, nowMs: number): void {
    const list = this.recent(key, nowMs);
    list.push(nowMs);
    this.failures.set(key, list);
    if (this.failures.size > this.maxKeys) {
      const oldest = this.failures.keys().next().value;
      if (oldest !== undefined) this.failures.delete(oldest);
    }
  }

  clear(key: string): void {
    this.failures.delete(key);
  }

  private recent(key: string, nowMs: number): number[] {
    const list = (this.failures.get(key) ?? []).filter((t) => nowMs - t < this.windowMs);
    if (list.length === 0) this.failures.delete(key);
    return list;
  }
}
