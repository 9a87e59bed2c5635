import type { LoginThrottle } from '../access/LoginThrottle.js';
import { verifyAgainstNothing, verifyPassword } from '../access/passwords.js';
import { normaliseEmail } from '../access/tokens.js';
import type { UserRecord } from '../store/ports.js';
import { type AccountDeps, audit } from './accountDeps.js';
import { CommandError } from './CommandError.js';

const wrongCredentials = 'Fel e-postadress eller lösenord. / Wrong e-mail address or password.';

/**
 * Signs in: verifies the password (the same work whether or not the account exists), applies
 * the per-account backoff, and starts a new session (a new id on every sign-in). The previous
 * session of this browser, if any, is ended.
 */
export async function sessionStarter(
  deps: AccountDeps & { throttle: LoginThrottle },
  input: { email: string; password: string; previousSessionIdHash?: string | undefined },
): Promise<{ user: UserRecord; cookieValue: string }> {
  const email = normaliseEmail(input.email);
  const wait = deps.throttle.retryAfterMs(email);
  if (wait > 0) {
    throw new CommandError(
      'rate_limited',
      'För många inloggningsförsök. Vänta en stund och försök igen. / Too many sign-in attempts. Wait a moment and try again.',
      Math.ceil(wait / 1000),
    );
  }
  // Counted as a failure before the password is checked (which takes a while): attempts sent
  // in parallel each see the ones before them, and a right password clears the count.
  deps.throttle.failed(email);
  const user = await deps.store.accounts.findUserByEmail(email);
  const valid = user ? await verifyPassword(user.passwordHash, input.password) : await verifyAgainstNothing(input.password);
  if (!user || !valid || user.deactivatedAt) throw new CommandError('unauthorized', wrongCredentials);
  deps.throttle.succeeded(email);
  if (input.previousSessionIdHash) {
    // The browser's previous session ends, and with it any socket still open on it (another tab).
    const previous = await deps.store.sessions.get(input.previousSessionIdHash);
    if (previous && (await deps.sessions.end(previous.idHash))) {
      deps.bus.publish({ type: 'session.ended', userId: previous.userId, sessionIdHash: previous.idHash });
    }
  }
  const { cookieValue } = await deps.sessions.start(user.id);
  await audit(deps.store, user.id, 'auth.login', user.id);
  return { user, cookieValue };
}

/** Signs out: ends the session server-side and tells other channels to close its sockets. */
export async function sessionEnder(deps: AccountDeps, actor: { userId: string; sessionIdHash: string }): Promise<void> {
  await deps.sessions.end(actor.sessionIdHash);
  await audit(deps.store, actor.userId, 'auth.logout', actor.userId);
  deps.bus.publish({ type: 'session.ended', userId: actor.userId, sessionIdHash: actor.sessionIdHash });
}
