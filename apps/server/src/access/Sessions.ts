import { parse as parseCookies } from 'cookie';
import type { OrganisationRecord, SessionRecord, Store, UserRecord } from '../store/ports.js';
import { hashToken, newToken } from './tokens.js';

/** Name of the session cookie (httpOnly, SameSite=Lax, Secure when PUBLIC_URL is https). */
export const SESSION_COOKIE = 'samverkan_session';

/** Session lifetimes. */
export interface SessionOptions {
  /** A session unused this long ends (default 7 days). */
  idleMs: number;
  /** A session ends this long after sign-in whatever happens (default 30 days). */
  absoluteMs: number;
}

export const defaultSessionOptions: SessionOptions = { idleMs: 7 * 24 * 3600_000, absoluteMs: 30 * 24 * 3600_000 };

/** Who is calling: the user, their organisation and the session (by its hash). */
export interface Actor {
  user: UserRecord;
  organisation: OrganisationRecord;
  session: SessionRecord;
}

/** `lastSeenAt` is written at most this often (see `touchIntervalMs`), so reads do not turn into writes. */
const TOUCH_INTERVAL_MS = 60_000;

/**
 * Sessions: a random cookie value; the store keeps only its SHA-256. Used by every channel
 * (REST, Yjs socket, socket.io) to resolve the caller from the cookie header.
 */
export class Sessions {
  constructor(
    private readonly store: Store,
    private readonly options: SessionOptions = defaultSessionOptions,
  ) {}

  /** Starts a new session (a new id on every sign-in); returns the cookie value. */
  async start(userId: string, now = new Date()): Promise<{ cookieValue: string; session: SessionRecord }> {
    const cookieValue = newToken();
    const session: SessionRecord = {
      idHash: hashToken(cookieValue),
      userId,
      createdAt: now.toISOString(),
      lastSeenAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.options.absoluteMs).toISOString(),
    };
    await this.store.sessions.create(session);
    return { cookieValue, session };
  }

  /** The cookie value from a `Cookie` header, if any. */
  static cookieValue(cookieHeader: string | undefined): string | undefined {
    if (!cookieHeader) return undefined;
    const value = parseCookies(cookieHeader)[SESSION_COOKIE];
    return value && /^[A-Za-z0-9_-]{20,100}$/.test(value) ? value : undefined;
  }

  /** Resolves a cookie value to an active user, or null (expired, ended, deactivated, unknown). */
  async resolve(cookieValue: string | undefined, now = new Date()): Promise<Actor | null> {
    if (!cookieValue) return null;
    const idHash = hashToken(cookieValue);
    const session = await this.store.sessions.get(idHash);
    if (!session) return null;
    if (this.expired(session, now)) {
      await this.store.sessions.delete(idHash);
      return null;
    }
    const user = await this.store.accounts.getUser(session.userId);
    if (!user || user.deactivatedAt) return null;
    const organisation = await this.store.accounts.getOrganisation(user.organisationId);
    if (!organisation) return null;
    if (now.getTime() - new Date(session.lastSeenAt).getTime() > this.touchIntervalMs) {
      await this.store.sessions.touch(idHash, now.toISOString());
    }
    return { user, organisation, session };
  }

  /** How stale `lastSeenAt` may get before a use writes it (a tenth of the idle time when that is shorter). */
  private get touchIntervalMs(): number {
    return Math.min(TOUCH_INTERVAL_MS, this.options.idleMs / 10);
  }

  /** Whether a session is past its absolute end or unused for the idle time. */
  private expired(session: SessionRecord, now: Date): boolean {
    const idleEnd = new Date(session.lastSeenAt).getTime() + this.options.idleMs;
    return now.getTime() >= new Date(session.expiresAt).getTime() || now.getTime() >= idleEnd;
  }

  /**
   * Whether the session `idHash` is still active, for sockets opened under it. `usedAt` is when
   * it was last used over a socket (a write to a document): that counts as use, as a REST call
   * does (a coordinator who types for hours in one document is not signed out as idle).
   * An expired session is deleted.
   */
  async isActive(idHash: string, usedAt: Date | null, now = new Date()): Promise<boolean> {
    const session = await this.store.sessions.get(idHash);
    if (!session) return false;
    // A use counts only while the session was still active then: one that had expired is not
    // brought back by a write that came in before this check.
    const newer = usedAt !== null && usedAt.getTime() - new Date(session.lastSeenAt).getTime() > this.touchIntervalMs && usedAt <= now;
    if (newer && !this.expired(session, usedAt)) {
      session.lastSeenAt = usedAt.toISOString();
      await this.store.sessions.touch(idHash, session.lastSeenAt);
    }
    if (this.expired(session, now)) {
      await this.store.sessions.delete(idHash);
      return false;
    }
    return true;
  }

  /**
   * How often open sockets' sessions are checked for expiry: a tenth of the shorter lifetime,
   * at most a minute (and at least 100 ms).
   */
  get sweepIntervalMs(): number {
    return Math.min(60_000, Math.max(100, Math.min(this.options.idleMs, this.options.absoluteMs) / 10));
  }

  /** Resolves the caller from a raw `Cookie` header (WebSocket upgrades, socket.io). */
  resolveHeader(cookieHeader: string | undefined): Promise<Actor | null> {
    return this.resolve(Sessions.cookieValue(cookieHeader));
  }

  /** Ends a session server-side. */
  async end(idHash: string): Promise<boolean> {
    return this.store.sessions.delete(idHash);
  }
}
