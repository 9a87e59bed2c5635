import { describePasswordProblem, hashPassword, passwordProblem } from '../access/passwords.js';
import { hashToken, newId } from '../access/tokens.js';
import type { UserRecord } from '../store/ports.js';
import { type AccountDeps, audit } from './accountDeps.js';
import { CommandError } from './CommandError.js';

/** Accepting an invitation creates the account (once, before the expiry) and signs it in. */
export async function invitationAcceptor(
  deps: AccountDeps,
  token: string,
  input: { name: string; password: string; language?: 'sv' | 'en' },
): Promise<{ user: UserRecord; cookieValue: string }> {
  const tokenHash = hashToken(token);
  const invitation = await deps.store.accounts.findInvitation(tokenHash);
  if (!invitation) throw new CommandError('not_found', 'Inbjudan finns inte. / No such invitation.');
  const problem = passwordProblem(input.password, { email: invitation.email, name: input.name });
  if (problem) throw new CommandError('validation', `password: ${describePasswordProblem(problem)}`);
  const user: UserRecord = {
    id: newId(),
    organisationId: invitation.organisationId,
    email: invitation.email,
    name: input.name,
    role: invitation.role,
    language: input.language ?? 'sv',
    passwordHash: await hashPassword(input.password),
    createdAt: new Date().toISOString(),
    deactivatedAt: null,
  };
  const outcome = await deps.store.accounts.acceptInvitation(tokenHash, user, new Date().toISOString());
  switch (outcome) {
    case 'accepted':
      break;
    case 'unknown':
      throw new CommandError('not_found', 'Inbjudan finns inte. / No such invitation.');
    case 'used':
      throw new CommandError('conflict', 'Inbjudan har redan använts. / This invitation has already been used.');
    case 'expired':
      throw new CommandError('conflict', 'Inbjudan har gått ut – be om en ny. / This invitation has expired – ask for a new one.');
    case 'email_taken':
      throw new CommandError('conflict', 'Det finns redan ett konto med den e-postadressen. / An account with this e-mail address exists.');
  }
  await audit(deps.store, user.id, 'invitation.accept', user.id);
  const { cookieValue } = await deps.sessions.start(user.id);
  return { user, cookieValue };
}
