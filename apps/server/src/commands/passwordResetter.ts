import { describePasswordProblem, hashPassword, passwordProblem } from '../access/passwords.js';
import { hashToken } from '../access/tokens.js';
import { type AccountDeps, audit } from './accountDeps.js';
import { CommandError } from './CommandError.js';

/** Uses a reset link once: sets the new password and ends every session of the user. */
export async function passwordResetter(deps: AccountDeps, token: string, password: string): Promise<void> {
  const problem = passwordProblem(password);
  if (problem) throw new CommandError('validation', `password: ${describePasswordProblem(problem)}`);
  const user = await deps.store.accounts.consumePasswordReset(hashToken(token), await hashPassword(password), new Date().toISOString());
  if (!user) {
    throw new CommandError('not_found', 'Länken är ogiltig, har gått ut eller har redan använts. / The link is invalid, expired or already used.');
  }
  // The store ended every session of the user with the reset: their open sockets close too.
  deps.bus.publish({ type: 'user.sessions_ended', userId: user.id, keepSessionIdHash: null });
  await audit(deps.store, user.id, 'password_reset.use', user.id);
}
