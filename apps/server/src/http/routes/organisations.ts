import { createOrganisationRequestSchema } from '@samverkan/protocol';
import { Router } from 'express';
import { organisationCreator } from '../../commands/organisationCreator.js';
import { presentOrganisation } from '../presenters.js';
import { requireActor, requireAdmin } from '../session.js';
import type { AccountRouteDeps } from './accountRouteDeps.js';

/** `/api/organisations`: everyone signed in sees the network's organisations; admins add them. */
export function organisationRoutes(deps: AccountRouteDeps): Router {
  const router = Router();
  router.get('/', async (_request, response) => {
    requireActor(response);
    response.json({ organisations: (await deps.store.accounts.listOrganisations()).map(presentOrganisation) });
  });
  router.post('/', async (request, response) => {
    const actor = requireAdmin(response);
    const input = createOrganisationRequestSchema.parse(request.body);
    const organisation = await organisationCreator(deps, actor.user.id, input);
    response.status(201).json(presentOrganisation(organisation));
  });
  return router;
}
