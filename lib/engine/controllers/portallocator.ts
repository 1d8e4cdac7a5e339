/**
 * NodePort allocation, following kubernetes `pkg/registry/core/service/portallocator`
 * (KEP-3668): the static band is the lower `min(max(16, size/32), 128)` ports of the range
 * (30000-30085 for the default 30000-32767); explicit `nodePort`s anywhere in the range are
 * honoured, dynamic allocation tries the upper band first and falls back to the lower band.
 * Upstream starts at a random offset; we start at a hash of the owner key and probe linearly.
 * healthCheckNodePorts come from the same allocator, as upstream.
 */
import { fnv1a32 } from '../hash';

/** `calculateRangeOffset` of the port allocator. */
export function portRangeOffset(size: number): number {
  const min = 16;
  const max = 128;
  const step = 32;
  if (size <= min) return 0;
  return Math.min(Math.max(min, Math.floor(size / step)), max);
}

/** Result of reserving an explicit port. */
export type PortReserveResult = 'ok' | 'out-of-range' | 'conflict';

/** Allocates ports from `min..max` (inclusive). */
export class PortAllocator {
  private readonly owner = new Map<number, string>();
  private readonly offset: number;

  constructor(private readonly min: number, private readonly max: number) {
    this.offset = portRangeOffset(max - min + 1);
  }

  /** The owner key of an allocated port. */
  public ownerOf(port: number): string | undefined {
    return this.owner.get(port);
  }

  /** Reserve an explicit port for `key` (the same key may reserve it again). */
  public reserve(port: number, key: string): PortReserveResult {
    if (port < this.min || port > this.max) return 'out-of-range';
    const cur = this.owner.get(port);
    if (cur !== undefined && cur !== key) return 'conflict';
    this.owner.set(port, key);
    return 'ok';
  }

  /** Allocate a free port for `key`; `salt` distinguishes several ports of one owner. */
  public allocate(key: string, salt = ''): number | undefined {
    const upStart = this.min + this.offset;
    const upSize = this.max - upStart + 1;
    const seed = fnv1a32(`${key}#${salt}`);
    if (upSize > 0) {
      const p = this.probe(upStart, upSize, seed % upSize, key);
      if (p !== undefined) return p;
    }
    return this.offset > 0 ? this.probe(this.min, this.offset, seed % this.offset, key) : undefined;
  }

  /** Free a port held by `key`. */
  public release(port: number, key: string): void {
    if (this.owner.get(port) === key) this.owner.delete(port);
  }

  private probe(start: number, size: number, from: number, key: string): number | undefined {
    for (let i = 0; i < size; i++) {
      const p = start + ((from + i) % size);
      if (!this.owner.has(p)) {
        this.owner.set(p, key);
        return p;
      }
    }
    return undefined;
  }
}
