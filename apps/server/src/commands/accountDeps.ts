import type { Sessions } from '../access/Sessions.js';
import type { EventBus } from '../bus/EventBus.js';
import type { Mail, Mailer } from '../mail/Mailer.js';
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
  /** Called when an e-mail could not be sent (the link is returned to the admin all the same). */
  onMailError?: (error: unknown) => void;
}

/** Whether a link went out by e-mail: `emailFailed` when a mailer is configured and sending failed. */
export interface MailOutcome {
  emailed: boolean;
  emailFailed: boolean;
}

/**
 * E-mails a link when a mailer is configured. A failure to send (the SMTP server down or
 * refusing) does not fail the command: the link is stored and returned to the admin, who can
 * hand it over another way.
 */
export async function mailLink(deps: AccountDeps, mail: Mail): Promise<MailOutcome> {
  if (!deps.mailer) return { emailed: false, emailFailed: false };
  try {
    await deps.mailer.send(mail);
    return { emailed: true, emailFailed: false };
  } catch (error) {
    deps.onMailError?.(error);
    return { emailed: false, emailFailed: true };
  }
}

/** Records the one audit entry of a command (ids only: never content or secrets). */
export function audit(store: Store, actorId: string | null, action: string, targetId: string | null): Promise<void> {
  const entry: AuditEntry = { actorId, action, targetId, at: new Date().toISOString() };
  return store.audit.record(entry);
}
