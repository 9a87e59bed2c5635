import { newId } from '../access/tokens.js';
import type { OrganisationKind, OrganisationRecord } from '../store/ports.js';
import { StoreConflict } from '../store/ports.js';
import { type AccountDeps, audit } from './accountDeps.js';
import { CommandError } from './CommandError.js';

/** An admin adds an organisation (municipality, region, agency, guest organisation…). */
export async function organisationCreator(
  deps: AccountDeps,
  actorId: string,
  input: { name: string; kind?: OrganisationKind },
): Promise<OrganisationRecord> {
  const organisation: OrganisationRecord = {
    id: newId(),
    name: input.name,
    kind: input.kind ?? 'municipality',
    createdAt: new Date().toISOString(),
  };
  try {
    await deps.store.accounts.createOrganisation(organisation);
  } catch (error) {
    if (error instanceof StoreConflict) {
      throw new CommandError('conflict', 'Det finns redan en organisation med det namnet. / An organisation with this name exists.');
    }
    throw error;
  }
  await audit(deps.store, actorId, 'organisation.create', organisation.id);
  return organisation;
}
