import type { Clock } from '../kernel/clock.js';

/**
 * A value loaded from the database and reused until it may be stale: after `invalidate()` (a
 * write through this instance) or once `refreshMs` has passed on the clock (a write by another
 * instance sharing the database). One per service instance; no module state.
 *
 * A load that overlaps a write may miss it, so its result is returned but not kept.
 */
export class RefreshCache<T> {
  private generation = 0;
  private entry: { generation: number; loadedAt: number; value: T } | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly refreshMs: number,
  ) {}

  /** Marks the cached value stale; the next `get` loads again. */
  invalidate(): void {
    this.generation += 1;
  }

  /**
   * The cached value when it is fresh and `fits` accepts it (e.g. it covers the time asked for),
   * else the result of `load`, kept for the next calls.
   */
  async get(load: () => Promise<T>, fits: (value: T) => boolean = () => true): Promise<T> {
    const wall = this.clock.now();
    const e = this.entry;
    if (
      e &&
      e.generation === this.generation &&
      wall >= e.loadedAt &&
      wall - e.loadedAt < this.refreshMs &&
      fits(e.value)
    )
      return e.value;
    const generation = this.generation;
    const value = await load();
    if (generation === this.generation) this.entry = { generation, loadedAt: wall, value };
    return value;
  }
}
