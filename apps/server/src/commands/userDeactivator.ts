import { type AccountDeps, audit } from './accountDeps.js';
import { CommandError } from './CommandError.js';

/**
 * An admin deactivates a user: the account can no longer sign in, its sessions end, and a
 * `user.deactivated` event tells the other channels to close its sockets.
 */
export async function userDeactivator(deps: AccountDeps, actorId: string, userId: string): Promise<void> {
  if (actorId === userId) throw new CommandError('conflict', 'Du kan inte stänga av ditt eget konto. / You cannot deactivate your own account.');
  const user = await deps.store.accounts.getUser(userId);
  if (!user) throw new CommandError('not_found', 'Användaren finns inte. / No such user.');
  if (!(await deps.store.accounts.deactivateUser(userId, new Date().toISOString()))) {
    throw new CommandError('conflict', 'Kontot är redan avstängt. / The account is already deactivated.');
  }
  await audit(deps.store, actorId, 'user.deactivate', userId);
  deps.bus.publish({ type: 'user.deactivated', userId });
}
