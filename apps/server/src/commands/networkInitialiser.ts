import { describePasswordProblem, hashPassword, passwordProblem } from '../access/passwords.js';
import { newId, normaliseEmail } from '../access/tokens.js';
import type { NetworkRecord, OrganisationKind, OrganisationRecord, UserRecord } from '../store/ports.js';
import { type AccountDeps, audit } from './accountDeps.js';
import { CommandError } from './CommandError.js';

export interface SetupInput {
  networkName: string;
  organisationName: string;
  organisationKind?: OrganisationKind;
  name: string;
  email: string;
  password: string;
  language?: 'sv' | 'en';
}

/**
 * First run: creates the network, its first organisation and its admin on an empty instance,
 * and signs the admin in. Refused (409) once any user exists.
 */
export async function networkInitialiser(
  deps: AccountDeps,
  input: SetupInput,
): Promise<{ network: NetworkRecord; organisation: OrganisationRecord; user: UserRecord; cookieValue: string }> {
  const email = normaliseEmail(input.email);
  const problem = passwordProblem(input.password, { email, name: input.name });
  if (problem) throw new CommandError('validation', describePasswordProblem(problem));
  const now = new Date().toISOString();
  const network: NetworkRecord = { id: newId(), name: input.networkName, createdAt: now };
  const organisation: OrganisationRecord = {
    id: newId(),
    name: input.organisationName,
    kind: input.organisationKind ?? 'agency',
    createdAt: now,
  };
  const user: UserRecord = {
    id: newId(),
    organisationId: organisation.id,
    email,
    name: input.name,
    role: 'admin',
    language: input.language ?? 'sv',
    passwordHash: await hashPassword(input.password),
    createdAt: now,
    deactivatedAt: null,
  };
  if (!(await deps.store.accounts.setup(network, organisation, user))) {
    throw new CommandError('conflict', 'Samverkan är redan installerat. / This instance is already set up.');
  }
  await audit(deps.store, user.id, 'network.setup', network.id);
  const { cookieValue } = await deps.sessions.start(user.id);
  return { network, organisation, user, cookieValue };
}
