import { createGroupRequestSchema, documentIdSchema, updateGroupRequestSchema } from '@samverkan/protocol';
import { Router } from 'express';
import { groupCreator, groupUpdater } from '../../commands/groupEditor.js';
import { httpErrors } from '../errors.js';
import { presentGroup } from '../presenters.js';
import { requireActor, requireAdmin } from '../session.js';
import type { AccountRouteDeps } from './accountRouteDeps.js';

/** `/api/groups`: thematic groups and neighbour collaborations (admins manage them). */
export function groupRoutes(deps: AccountRouteDeps): Router {
  const router = Router();
  router.get('/', async (_request, response) => {
    requireActor(response);
    response.json({ groups: (await deps.store.accounts.listGroups()).map(presentGroup) });
  });
  router.post('/', async (request, response) => {
    const actor = requireAdmin(response);
    const input = createGroupRequestSchema.parse(request.body);
    response.status(201).json(presentGroup(await groupCreator(deps, actor.user.id, input)));
  });
  router.patch('/:id', async (request, response) => {
    const actor = requireAdmin(response);
    const parsed = documentIdSchema.safeParse(request.params.id);
    if (!parsed.success) throw httpErrors.notFound('Gruppen finns inte. / No such group.');
    const input = updateGroupRequestSchema.parse(request.body);
    response.json(presentGroup(await groupUpdater(deps, actor.user.id, parsed.data, input)));
  });
  return router;
}
