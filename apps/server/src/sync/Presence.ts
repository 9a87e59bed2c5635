import * as encoding from 'lib0/encoding';

/**
 * A state not renewed for this long is dropped (y-protocols' `outdatedTimeout`: clients renew
 * theirs every 15 seconds).
 */
export const PRESENCE_TIMEOUT_MS = 30_000;

interface Entry {
  clock: number;
  /** The state as JSON text, exactly as relayed; null once removed (the clock is kept). */
  json: string | null;
  /** When the state was last set or renewed (performance.now()). */
  updatedAt: number;
}

/**
 * What `set` did with a state: a state where none was held, a renewal or change of a held one,
 * a removal, or nothing (an older clock, or a removal of what is not there).
 */
export type PresenceOutcome = 'added' | 'updated' | 'removed' | null;

/**
 * The awareness states of one document, held the way they travel: per client id its clock and
 * its state as JSON text. The server never looks inside a state after checking it, so it keeps
 * the text it relays instead of y-protocols' `Awareness` (which parses every state it applies and
 * stringifies it again for every message it encodes). The rules are y-protocols' own, so that
 * every client's `Awareness` agrees with the server's view:
 *
 * - a state is taken when its clock is newer than the one held, or when it is a removal
 *   (`null`) at the same clock of a state that is held;
 * - a state not renewed for {@link PRESENCE_TIMEOUT_MS} is removed (its clock kept, so the
 *   removal is sent as `clock, null` and clients drop it);
 * - an update lists, per client id, the clock and the state (`null` when removed).
 */
export class Presence {
  private readonly entries = new Map<number, Entry>();
  /** Client ids that hold a state (a removed one keeps only its clock). */
  private live = 0;
  private sweeper: NodeJS.Timeout | null = null;

  /**
   * @param onExpired called with the client ids whose states timed out and were removed
   * @param now the clock (performance.now by default; tests pass their own)
   */
  constructor(
    private readonly onExpired: (clientIds: number[]) => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Number of client ids holding a state. */
  get size(): number {
    return this.live;
  }

  /** Client ids holding a state, in the order they were first seen. */
  clientIds(): number[] {
    const ids: number[] = [];
    for (const [clientId, entry] of this.entries) if (entry.json !== null) ids.push(clientId);
    return ids;
  }

  /** The state JSON of a client id, or null. */
  stateOf(clientId: number): string | null {
    return this.entries.get(clientId)?.json ?? null;
  }

  /** Applies one state (`json` null or `'null'` for a removal) by y-protocols' rules. */
  set(clientId: number, clock: number, json: string | null): PresenceOutcome {
    const state = json === 'null' ? null : json;
    const entry = this.entries.get(clientId);
    const held = entry !== undefined && entry.json !== null;
    const heldClock = entry?.clock ?? 0;
    if (!(heldClock < clock || (heldClock === clock && state === null && held))) return null;
    if (state === null && !held) {
      // A removal of nothing: the clock moves on, nobody needs to hear of it.
      this.entries.set(clientId, { clock, json: null, updatedAt: this.now() });
      return null;
    }
    this.entries.set(clientId, { clock, json: state, updatedAt: this.now() });
    if (state === null) {
      this.live--;
      this.stopSweeperIfEmpty();
      return 'removed';
    }
    if (held) return 'updated';
    this.live++;
    this.sweeper ??= setInterval(this.sweep, PRESENCE_TIMEOUT_MS / 10);
    this.sweeper.unref?.();
    return 'added';
  }

  /** Removes the states of `clientIds` (a connection left); returns those that were held. */
  remove(clientIds: Iterable<number>): number[] {
    const removed: number[] = [];
    for (const clientId of clientIds) {
      const entry = this.entries.get(clientId);
      if (!entry || entry.json === null) continue;
      entry.json = null;
      this.live--;
      removed.push(clientId);
    }
    this.stopSweeperIfEmpty();
    return removed;
  }

  /** A y-protocols awareness update (without the message type) for `clientIds`. */
  encodeUpdate(clientIds: readonly number[]): Uint8Array {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, clientIds.length);
    for (const clientId of clientIds) {
      const entry = this.entries.get(clientId);
      encoding.writeVarUint(encoder, clientId);
      encoding.writeVarUint(encoder, entry?.clock ?? 0);
      encoding.writeVarString(encoder, entry?.json ?? 'null');
    }
    return encoding.toUint8Array(encoder);
  }

  /** Removes states not renewed within the timeout (runs every tenth of it while states exist). */
  readonly sweep = (): void => {
    const cutoff = this.now() - PRESENCE_TIMEOUT_MS;
    const expired: number[] = [];
    for (const [clientId, entry] of this.entries) {
      if (entry.json !== null && entry.updatedAt <= cutoff) expired.push(clientId);
    }
    if (expired.length === 0) return;
    this.remove(expired);
    this.onExpired(expired);
  };

  /** Stops the sweeper; the states are dropped. */
  destroy(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
    this.entries.clear();
    this.live = 0;
  }

  private stopSweeperIfEmpty(): void {
    if (this.live === 0 && this.sweeper) {
      clearInterval(this.sweeper);
      this.sweeper = null;
    }
  }
}
