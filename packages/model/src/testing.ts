import * as Y from 'yjs';

/**
 * Test helper (exported for the tests of this package only, not from index.ts): replicas that
 * exchange updates through queues delivered in a random order, as a flaky network would.
 */
export class Network {
  readonly docs: Y.Doc[];
  private readonly queues: Uint8Array[][];

  constructor(
    count: number,
    private readonly random: () => number,
  ) {
    this.docs = Array.from({ length: count }, () => new Y.Doc());
    this.queues = this.docs.map(() => []);
    this.docs.forEach((doc, index) => {
      doc.on('update', (update: Uint8Array, origin: unknown) => {
        if (origin === 'network') return;
        this.queues.forEach((queue, target) => {
          if (target !== index) queue.push(update);
        });
      });
    });
  }

  /** Delivers every queued update, each replica's queue shuffled. */
  deliverAll(): void {
    while (this.queues.some((queue) => queue.length > 0)) {
      this.queues.forEach((queue, target) => {
        while (queue.length > 0) {
          const index = Math.floor(this.random() * queue.length);
          const [update] = queue.splice(index, 1);
          Y.applyUpdate(this.docs[target] as Y.Doc, update as Uint8Array, 'network');
        }
      });
    }
  }
}

/** Deterministic PRNG (mulberry32). */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
