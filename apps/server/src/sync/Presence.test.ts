import { describe, expect, it } from 'vitest';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { awarenessUpdate } from '../test/clients.js';
import { PRESENCE_TIMEOUT_MS, Presence } from './Presence.js';

/** A client's y-protocols Awareness, the judge of what the server's updates mean. */
function clientAwareness(): Awareness {
  const awareness = new Awareness(new Y.Doc());
  awareness.setLocalState(null);
  return awareness;
}

describe('Presence (awareness states as JSON text, by y-protocols rules)', () => {
  it('takes newer clocks, ignores older ones, takes a removal at the same clock, and encodes what a client Awareness understands', () => {
    const presence = new Presence(() => undefined);
    expect(presence.set(7, 1, '{"cursor":1}')).toBe('added');
    expect(presence.set(7, 1, '{"cursor":9}')).toBeNull(); // same clock, not a removal
    expect(presence.set(7, 3, '{"cursor":3}')).toBe('updated');
    expect(presence.set(7, 2, '{"cursor":2}')).toBeNull(); // older
    expect(presence.set(7, 3, '{"cursor":3}')).toBeNull(); // same clock again
    expect(presence.set(8, 1, '{"cursor":"b"}')).toBe('added');
    expect(presence.clientIds()).toEqual([7, 8]);
    expect(presence.size).toBe(2);

    const client = clientAwareness();
    applyAwarenessUpdate(client, presence.encodeUpdate(presence.clientIds()), 'server');
    expect(client.getStates().get(7)).toEqual({ cursor: 3 });
    expect(client.getStates().get(8)).toEqual({ cursor: 'b' });

    expect(presence.set(7, 3, null)).toBe('removed');
    expect(presence.set(7, 3, null)).toBeNull(); // nothing left to remove
    expect(presence.clientIds()).toEqual([8]);
    applyAwarenessUpdate(client, presence.encodeUpdate([7]), 'server');
    expect(client.getStates().has(7)).toBe(false);
    expect(client.getStates().get(8)).toEqual({ cursor: 'b' });

    // A state after a removal comes back under a newer clock only.
    expect(presence.set(7, 3, '{"cursor":4}')).toBeNull();
    expect(presence.set(7, 4, '{"cursor":4}')).toBe('added');
    presence.destroy();
  });

  it('agrees with y-protocols on a sequence of updates from a real client', () => {
    const presence = new Presence(() => undefined);
    const reference = clientAwareness();
    const source = new Awareness(new Y.Doc());
    const steps: (() => void)[] = [
      () => source.setLocalState({ cursor: 1, name: 'Luleå' }),
      () => source.setLocalStateField('cursor', 2),
      () => source.setLocalStateField('cursor', 2), // renewal with the same state
      () => source.setLocalState(null),
      () => source.setLocalState({ cursor: 5 }),
    ];
    for (const step of steps) {
      step();
      const message = encodeAwarenessUpdate(source, [source.clientID]);
      applyAwarenessUpdate(reference, message, 'peer');
      const json = source.getLocalState() === null ? null : JSON.stringify(source.getLocalState());
      presence.set(source.clientID, source.meta.get(source.clientID)?.clock ?? 0, json);
      expect(presence.stateOf(source.clientID)).toBe(reference.getStates().has(source.clientID) ? JSON.stringify(reference.getStates().get(source.clientID)) : null);
    }
    source.destroy();
    presence.destroy();
  });

  it('drops states not renewed within the timeout and reports them; clients drop them on the encoded removal', () => {
    let now = 1_000;
    const expired: number[][] = [];
    const presence = new Presence((clientIds) => expired.push(clientIds), () => now);
    presence.set(1, 1, '{"a":1}');
    presence.set(2, 1, '{"b":1}');
    const client = clientAwareness();
    applyAwarenessUpdate(client, awarenessUpdate(1, 1, { a: 1 }), 'server');
    now += PRESENCE_TIMEOUT_MS / 2;
    presence.set(2, 2, '{"b":1}'); // renewed
    now += PRESENCE_TIMEOUT_MS / 2;
    presence.sweep();
    expect(expired).toEqual([[1]]);
    expect(presence.clientIds()).toEqual([2]);
    applyAwarenessUpdate(client, presence.encodeUpdate([1]), 'server');
    expect(client.getStates().has(1)).toBe(false);
    presence.sweep();
    expect(expired).toEqual([[1]]); // nothing more is outdated
    presence.destroy();
  });

  it('removes the states of a connection that left, once', () => {
    const presence = new Presence(() => undefined);
    presence.set(1, 1, '{}');
    presence.set(2, 1, '{}');
    expect(presence.remove([1, 3])).toEqual([1]);
    expect(presence.remove([1])).toEqual([]);
    expect(presence.size).toBe(1);
    presence.destroy();
    expect(presence.size).toBe(0);
  });
});
