/** One behaviour change found by `netkit diff` (lib/diff/diff.ts), and how much it matters. */

/** How much a change matters, most consequential first when sorted. */
export type DiffImpact = 'exposure' | 'reachability' | 'routing' | 'endpoints' | 'finding';

/** One behaviour change. */
export interface DiffChange {
  readonly impact: DiffImpact;
  readonly namespace: string;
  /** What changed, e.g. `Service shop/cart`. */
  readonly subject: string;
  /** One line, e.g. `ready endpoints from Deployment web: 3 -> 2`. */
  readonly message: string;
  /**
   * L7 changes: every witness request with this same change (the subject is the first). Requests
   * whose outcome changed the same way are one change, so a weight edit is one line, not one per path.
   */
  readonly requests?: readonly string[];
}
