import { changePasswordRequestSchema, ErrorId, loginRequestSchema, type MeResponse, updateProfileRequestSchema } from '@samverkan/protocol';
import { Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import { passwordChanger, profileEditor } from '../../commands/profileEditor.js';
import { sessionEnder, sessionStarter } from '../../commands/sessionStarter.js';
import { presentGroup, presentOrganisation, presentUser } from '../presenters.js';
import { clearSessionCookie, presentedSessionHash, requireActor, setSessionCookie } from '../session.js';
import type { AccountRouteDeps } from './accountRouteDeps.js';

/** `/api/auth`: sign in and out, the current user, profile and password. */
export function authRoutes(deps: AccountRouteDeps): Router {
  const router = Router();

  const perIp = rateLimit({
    windowMs: 15 * 60_000,
    limit: deps.loginAttemptsPerIp,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (_request, response, _next, options) => {
      response.setHeader('Retry-After', String(Math.ceil(options.windowMs / 1000)));
      response.status(429).json({
        error: {
          id: ErrorId.rateLimited,
          message: 'För många inloggningsförsök. Vänta en stund och försök igen. / Too many sign-in attempts. Wait a moment and try again.',
        },
      });
    },
  });

  router.post('/login', perIp, async (request, response) => {
    const input = loginRequestSchema.parse(request.body);
    const { user, cookieValue } = await sessionStarter(deps, { ...input, previousSessionIdHash: presentedSessionHash(response) });
    setSessionCookie(response, cookieValue, deps.cookies);
    response.json({ user: presentUser(user, user) });
  });

  router.post('/logout', async (_request, response) => {
    const actor = response.locals.actor as ReturnType<typeof requireActor> | null;
    if (actor) await sessionEnder(deps, { userId: actor.user.id, sessionIdHash: actor.session.idHash });
    clearSessionCookie(response, deps.cookies);
    response.status(204).end();
  });

  router.get('/me', async (_request, response) => {
    const actor = requireActor(response);
    const network = await deps.store.accounts.getNetwork();
    const groups = (await deps.store.accounts.listGroups()).filter((group) => group.organisationIds.includes(actor.organisation.id));
    const body: MeResponse = {
      user: presentUser(actor.user, actor.user),
      organisation: presentOrganisation(actor.organisation),
      network: { id: network?.id ?? '', name: network?.name ?? '' },
      groups: groups.map(presentGroup),
    };
    response.json(body);
  });

  router.patch('/me', async (request, response) => {
    const actor = requireActor(response);
    const input = updateProfileRequestSchema.parse(request.body);
    const user = await profileEditor(deps, actor.user, input);
    response.json({ user: presentUser(user, user) });
  });

  router.post('/password', async (request, response) => {
    const actor = requireActor(response);
    const input = changePasswordRequestSchema.parse(request.body);
    await passwordChanger(deps, actor.user, { ...input, keepSessionIdHash: actor.session.idHash });
    response.status(204).end();
  });

  return router;
}
