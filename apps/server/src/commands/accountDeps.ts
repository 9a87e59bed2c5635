import type { Sessions } from '../access/Sessions.js';
import type { EventBus } from '../bus/EventBus.js';
import type { Mailer } from '../mail/Mailer.js';
import type { AuditEntry, Store } from '../store/ports.js';

/** What the account commands need. */
export interface AccountDeps {
  store: Store;
  sessions: Sessions;
  bus: EventBus;
  /** Null without `SMTP_URL`: links are returned to the admin instead of e-mailed. */
  mailer: Mailer | null;
  /** Origin users reach the app at; links are built on it. */
  publicUrl: string;
  /** Lifetime of an invitation link (default 7 days). */
  invitationTtlMs: number;
  /** Lifetime of a password reset link (default 24 hours). */
  resetTtlMs: number;
}

/** Records the one audit entry of a command (ids only: never content or secrets). */
export function audit(store: Store, actorId: string | null, action: string, targetId: string | null): Promise<void> {
  const entry: AuditEntry = { actorId, action, targetId, at: new Date().toISOString() };
  return store.audit.record(entry);
}
