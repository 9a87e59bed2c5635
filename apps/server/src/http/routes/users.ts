import { documentIdSchema } from '@samverkan/protocol';
import { Router } from 'express';
import { passwordResetIssuer } from '../../commands/passwordResetIssuer.js';
import { userDeactivator } from '../../commands/userDeactivator.js';
import { httpErrors } from '../errors.js';
import { presentUser } from '../presenters.js';
import { requireActor, requireAdmin } from '../session.js';
import type { AccountRouteDeps } from './accountRouteDeps.js';

/** `/api/users`: the people of the network; admins deactivate and issue reset links. */
export function userRoutes(deps: AccountRouteDeps): Router {
  const router = Router();
  const userId = (value: unknown): string => {
    const parsed = documentIdSchema.safeParse(value);
    if (!parsed.success) throw httpErrors.notFound('Användaren finns inte. / No such user.');
    return parsed.data;
  };

  router.get('/', async (_request, response) => {
    const actor = requireActor(response);
    const users = await deps.store.accounts.listUsers();
    const visible = actor.user.role === 'admin' ? users : users.filter((user) => user.deactivatedAt === null);
    response.json({ users: visible.map((user) => presentUser(user, actor.user)) });
  });

  router.post('/:id/deactivate', async (request, response) => {
    const actor = requireAdmin(response);
    await userDeactivator(deps, actor.user.id, userId(request.params.id));
    response.status(204).end();
  });

  router.post('/:id/reset-link', async (request, response) => {
    const actor = requireAdmin(response);
    const link = await passwordResetIssuer(deps, actor.user.id, userId(request.params.id));
    response.status(201).json(link);
  });

  return router;
}
