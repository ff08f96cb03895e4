/**
 * When to bring a crashed renderer (a Chromium process, an Electron render process) back: after a
 * short pause the first time, then with growing ones so a renderer that dies on start does not spin the CPU,
 * and not at all after too many crashes in a short time, because then something is broken that a
 * restart will not mend and clinic IT must be told instead.
 */
export interface RestartLimits {
  /** Crashes allowed within `windowMs` before giving up. */
  maxRestarts: number;
  windowMs: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RESTART_LIMITS: RestartLimits = {
  maxRestarts: 5,
  windowMs: 10 * 60_000,
  firstDelayMs: 500,
  maxDelayMs: 30_000,
};

export class RestartPolicy {
  private crashes: number[] = [];

  constructor(
    private readonly limits: RestartLimits = DEFAULT_RESTART_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a crash; the pause before the restart, or null when the renderer should stay down. */
  next(): number | null {
    const now = this.now();
    this.crashes = this.crashes.filter((at) => now - at < this.limits.windowMs);
    this.crashes.push(now);
    const count = this.crashes.length;
    if (count > this.limits.maxRestarts) return null;
    return Math.min(this.limits.maxDelayMs, this.limits.firstDelayMs * 2 ** (count - 1));
  }

  /** Crashes counted in the current window. */
  get recent(): number {
    return this.crashes.length;
  }
}
