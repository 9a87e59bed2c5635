import { resetPasswordRequestSchema } from '@samverkan/protocol';
import { Router } from 'express';
import { passwordResetter } from '../../commands/passwordResetter.js';
import { httpErrors } from '../errors.js';
import type { AccountRouteDeps } from './accountRouteDeps.js';

/** `/api/password-resets/:token`: choose a new password with a single-use link. */
export function passwordResetRoutes(deps: AccountRouteDeps): Router {
  const router = Router();
  router.post('/:token', async (request, response) => {
    const token = request.params.token;
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) throw httpErrors.notFound('Länken är ogiltig. / The link is invalid.');
    const input = resetPasswordRequestSchema.parse(request.body);
    await passwordResetter(deps, token, input.password);
    response.status(204).end();
  });
  return router;
}
