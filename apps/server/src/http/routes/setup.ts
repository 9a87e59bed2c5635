import { setupRequestSchema } from '@samverkan/protocol';
import { Router } from 'express';
import { networkInitialiser } from '../../commands/networkInitialiser.js';
import { presentOrganisation, presentUser } from '../presenters.js';
import { setSessionCookie } from '../session.js';
import type { AccountRouteDeps } from './accountRouteDeps.js';

/** `/api/setup`: first run of an empty instance (409 afterwards). */
export function setupRoutes(deps: AccountRouteDeps): Router {
  const router = Router();
  router.get('/', async (_request, response) => {
    response.json({ needed: (await deps.store.accounts.countUsers()) === 0 });
  });
  router.post('/', async (request, response) => {
    const input = setupRequestSchema.parse(request.body);
    const { network, organisation, user, cookieValue } = await networkInitialiser(deps, input);
    setSessionCookie(response, cookieValue, deps.cookies);
    response.status(201).json({
      network: { id: network.id, name: network.name },
      organisation: presentOrganisation(organisation),
      user: presentUser(user, user),
    });
  });
  return router;
}
