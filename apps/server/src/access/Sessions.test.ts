import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../store/sqlite/SqliteStore.js';
import { makeTempDir } from '../test/tempDir.js';
import { Sessions } from './Sessions.js';

const MINUTE = 60_000;

describe('sessions of open sockets (Sessions.isActive)', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let store: SqliteStore;
  beforeEach(async () => {
    temp = makeTempDir();
    store = new SqliteStore({ dataDir: temp.path });
    const created = '2026-12-07T08:00:00.000Z';
    await store.accounts.setup(
      { id: 'net', name: 'Nätverket', createdAt: created },
      { id: 'org-a', name: 'Luleå kommun', kind: 'municipality', createdAt: created },
      { id: 'user-1', organisationId: 'org-a', email: 'a@x.se', name: 'A', role: 'admin', language: 'sv', passwordHash: '$argon2id$placeholder', createdAt: created, deactivatedAt: null },
    );
  });
  afterEach(async () => {
    await store.close();
    temp.remove();
  });

  const at = (minutes: number) => new Date(Date.UTC(2026, 11, 7, 9, 0) + minutes * MINUTE);

  it('a write over a socket keeps a session in use; a write after it expired does not bring it back; never backwards', async () => {
    const sessions = new Sessions(store, { idleMs: 30 * MINUTE, absoluteMs: 24 * 60 * MINUTE });
    const { session } = await sessions.start('user-1', at(0));
    // Written at 25 min, checked at 40: in use (the write moved lastSeenAt to 25).
    expect(await sessions.isActive(session.idHash, at(25), at(40))).toBe(true);
    expect((await store.sessions.get(session.idHash))?.lastSeenAt).toBe(at(25).toISOString());
    // A REST call at 50 (resolve touches), then a sweep with an older write (45): not moved back.
    expect(await sessions.resolve(undefined)).toBeNull();
    await store.sessions.touch(session.idHash, at(50).toISOString());
    expect(await sessions.isActive(session.idHash, at(45), at(51))).toBe(true);
    expect((await store.sessions.get(session.idHash))?.lastSeenAt).toBe(at(50).toISOString());
    // Nor by a sweep's touch that lands after the REST call's (it read the session before).
    await store.sessions.touch(session.idHash, at(45).toISOString());
    expect((await store.sessions.get(session.idHash))?.lastSeenAt).toBe(at(50).toISOString());
    // Unused from 50: idle at 80. A write at 85, seen by the sweep at 86, comes too late.
    expect(await sessions.isActive(session.idHash, at(85), at(86))).toBe(false);
    expect(await store.sessions.get(session.idHash)).toBeNull();
  });

  it('ends at the absolute limit however much it is used', async () => {
    const sessions = new Sessions(store, { idleMs: 30 * MINUTE, absoluteMs: 60 * MINUTE });
    const { session } = await sessions.start('user-1', at(0));
    expect(await sessions.isActive(session.idHash, at(25), at(26))).toBe(true);
    expect(await sessions.isActive(session.idHash, at(50), at(55))).toBe(true);
    expect(await sessions.isActive(session.idHash, at(59), at(61))).toBe(false);
    expect(await sessions.isActive('no-such-session', at(1), at(2))).toBe(false);
  });
});
