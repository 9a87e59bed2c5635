import { newId } from '../access/tokens.js';
import type { GroupKind, GroupRecord } from '../store/ports.js';
import { StoreConflict } from '../store/ports.js';
import { type AccountDeps, audit } from './accountDeps.js';
import { CommandError } from './CommandError.js';

const unknownOrganisation = 'organisationIds: Okänd organisation. / Unknown organisation.';

/** An admin creates a group (thematic group or neighbour collaboration) of organisations. */
export async function groupCreator(
  deps: AccountDeps,
  actorId: string,
  input: { name: string; kind: GroupKind; organisationIds: string[] },
): Promise<GroupRecord> {
  const group: GroupRecord = {
    id: newId(),
    name: input.name,
    kind: input.kind,
    organisationIds: [...new Set(input.organisationIds)].sort(),
    createdAt: new Date().toISOString(),
  };
  try {
    await deps.store.accounts.createGroup(group);
  } catch (error) {
    if (error instanceof StoreConflict) throw new CommandError('validation', unknownOrganisation);
    throw error;
  }
  await audit(deps.store, actorId, 'group.create', group.id);
  return group;
}

/** An admin renames a group or changes its organisations. */
export async function groupUpdater(
  deps: AccountDeps,
  actorId: string,
  groupId: string,
  changes: { name?: string | undefined; organisationIds?: string[] | undefined },
): Promise<GroupRecord> {
  try {
    const found = await deps.store.accounts.updateGroup(groupId, {
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.organisationIds ? { organisationIds: [...new Set(changes.organisationIds)] } : {}),
    });
    if (!found) throw new CommandError('not_found', 'Gruppen finns inte. / No such group.');
  } catch (error) {
    if (error instanceof StoreConflict) throw new CommandError('validation', unknownOrganisation);
    throw error;
  }
  // Access through the group (its `group:` visibility and shares) follows its organisations:
  // sockets of those who lost it close, lists are updated.
  if (changes.organisationIds) deps.bus.publish({ type: 'group.changed', groupId });
  await audit(deps.store, actorId, 'group.update', groupId);
  return (await deps.store.accounts.getGroup(groupId)) as GroupRecord;
}
