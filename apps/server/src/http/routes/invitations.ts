import { acceptInvitationRequestSchema, createInvitationRequestSchema } from '@samverkan/protocol';
import { Router } from 'express';
import { hashToken } from '../../access/tokens.js';
import { invitationAcceptor } from '../../commands/invitationAcceptor.js';
import { invitationIssuer } from '../../commands/invitationIssuer.js';
import { httpErrors } from '../errors.js';
import { presentUser } from '../presenters.js';
import { requireAdmin, setSessionCookie } from '../session.js';
import type { AccountRouteDeps } from './accountRouteDeps.js';

const tokenPattern = /^[A-Za-z0-9_-]{20,100}$/;

/** `/api/invitations`: admins invite; the invited accept with the link's token. */
export function invitationRoutes(deps: AccountRouteDeps): Router {
  const router = Router();
  const token = (value: unknown): string => {
    if (typeof value !== 'string' || !tokenPattern.test(value)) throw httpErrors.notFound('Inbjudan finns inte. / No such invitation.');
    return value;
  };

  router.post('/', async (request, response) => {
    const actor = requireAdmin(response);
    const input = createInvitationRequestSchema.parse(request.body);
    response.status(201).json(await invitationIssuer(deps, actor.user.id, input));
  });

  router.get('/', async (_request, response) => {
    requireAdmin(response);
    const open = await deps.store.accounts.listOpenInvitations(new Date().toISOString());
    response.json({
      invitations: open.map((invitation) => ({
        email: invitation.email,
        organisationId: invitation.organisationId,
        role: invitation.role,
        createdAt: invitation.createdAt,
        expiresAt: invitation.expiresAt,
      })),
    });
  });

  /** What the acceptance page shows before the account is created. */
  router.get('/:token', async (request, response) => {
    const invitation = await deps.store.accounts.findInvitation(hashToken(token(request.params.token)));
    if (!invitation) throw httpErrors.notFound('Inbjudan finns inte. / No such invitation.');
    const organisation = await deps.store.accounts.getOrganisation(invitation.organisationId);
    const status = invitation.usedAt ? 'used' : new Date(invitation.expiresAt).getTime() <= Date.now() ? 'expired' : 'open';
    response.json({
      email: invitation.email,
      organisation: organisation ? { id: organisation.id, name: organisation.name } : null,
      role: invitation.role,
      expiresAt: invitation.expiresAt,
      status,
    });
  });

  router.post('/:token/accept', async (request, response) => {
    const input = acceptInvitationRequestSchema.parse(request.body);
    const { user, cookieValue } = await invitationAcceptor(deps, token(request.params.token), input);
    setSessionCookie(response, cookieValue, deps.cookies);
    response.status(201).json({ user: presentUser(user, user) });
  });

  return router;
}
