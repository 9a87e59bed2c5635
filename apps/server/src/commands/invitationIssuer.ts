import { hashToken, newToken, normaliseEmail } from '../access/tokens.js';
import type { InvitationRecord, NetworkRole } from '../store/ports.js';
import { type AccountDeps, type MailOutcome, audit, mailLink } from './accountDeps.js';
import { CommandError } from './CommandError.js';

export interface IssuedInvitation extends MailOutcome {
  /** The secret token (only here, never stored). */
  token: string;
  url: string;
  email: string;
  organisationId: string;
  role: NetworkRole;
  expiresAt: string;
}

/**
 * An admin invites someone into an organisation: a single-use link with an expiry, returned
 * so it can be sent by any means, and e-mailed when SMTP is configured. Every user of a guest
 * organisation is a guest; other organisations take coordinators and admins.
 */
export async function invitationIssuer(
  deps: AccountDeps,
  actorId: string,
  input: { email: string; organisationId: string; role: NetworkRole },
): Promise<IssuedInvitation> {
  const organisation = await deps.store.accounts.getOrganisation(input.organisationId);
  if (!organisation) throw new CommandError('validation', 'organisationId: Okänd organisation. / Unknown organisation.');
  const role: NetworkRole = organisation.kind === 'guest' ? 'guest' : input.role;
  if (organisation.kind !== 'guest' && role === 'guest') {
    throw new CommandError('validation', 'role: Gäster bjuds in till en gästorganisation. / Guests are invited into a guest organisation.');
  }
  const email = normaliseEmail(input.email);
  if (await deps.store.accounts.findUserByEmail(email)) {
    throw new CommandError('conflict', 'Det finns redan ett konto med den e-postadressen. / An account with this e-mail address exists.');
  }
  const token = newToken();
  const now = new Date();
  const record: InvitationRecord = {
    tokenHash: hashToken(token),
    email,
    organisationId: organisation.id,
    role,
    invitedBy: actorId,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + deps.invitationTtlMs).toISOString(),
    usedAt: null,
  };
  await deps.store.accounts.createInvitation(record);
  await audit(deps.store, actorId, 'invitation.create', record.tokenHash);
  const url = `${deps.publicUrl}/invitations/${token}`;
  const mailed = await mailLink(deps, {
    to: email,
    subject: 'Inbjudan till Samverkan / Invitation to Samverkan',
    text: `Du är inbjuden till ${organisation.name} i Samverkan.\nÖppna länken för att skapa ditt konto (giltig till ${record.expiresAt}):\n${url}\n\nYou are invited to ${organisation.name} in Samverkan. Open the link to create your account:\n${url}\n`,
  });
  return { token, url, email, organisationId: organisation.id, role, expiresAt: record.expiresAt, ...mailed };
}
