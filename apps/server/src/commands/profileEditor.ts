import { describePasswordProblem, hashPassword, passwordProblem, verifyPassword } from '../access/passwords.js';
import type { UserRecord } from '../store/ports.js';
import { type AccountDeps, audit } from './accountDeps.js';
import { CommandError } from './CommandError.js';

/** A user changes their name or language. */
export async function profileEditor(
  deps: AccountDeps,
  user: UserRecord,
  changes: { name?: string | undefined; language?: 'sv' | 'en' | undefined },
): Promise<UserRecord> {
  await deps.store.accounts.updateUser(user.id, {
    ...(changes.name !== undefined ? { name: changes.name } : {}),
    ...(changes.language !== undefined ? { language: changes.language } : {}),
  });
  await audit(deps.store, user.id, 'user.update', user.id);
  return (await deps.store.accounts.getUser(user.id)) as UserRecord;
}

/** A user changes their password (knowing the current one). Other sessions end. */
export async function passwordChanger(
  deps: AccountDeps,
  user: UserRecord,
  input: { currentPassword: string; newPassword: string; keepSessionIdHash: string },
): Promise<void> {
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new CommandError('validation', 'currentPassword: Fel nuvarande lösenord. / The current password is wrong.');
  }
  const problem = passwordProblem(input.newPassword, { email: user.email, name: user.name });
  if (problem) throw new CommandError('validation', `newPassword: ${describePasswordProblem(problem)}`);
  await deps.store.accounts.updateUser(user.id, { passwordHash: await hashPassword(input.newPassword) });
  const keep = await deps.store.sessions.get(input.keepSessionIdHash);
  await deps.store.sessions.deleteForUser(user.id);
  if (keep) await deps.store.sessions.create(keep);
  // Sockets open on the other sessions (another browser, a stolen cookie) close as well.
  deps.bus.publish({ type: 'user.sessions_ended', userId: user.id, keepSessionIdHash: input.keepSessionIdHash });
  await audit(deps.store, user.id, 'user.password_change', user.id);
}
