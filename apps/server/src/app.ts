import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { apiNotFound, createErrorHandler } from './http/errorHandler.js';
import type { OriginPolicy } from './http/originPolicy.js';
import type { Sessions } from './access/Sessions.js';
import type { AccountRouteDeps } from './http/routes/accountRouteDeps.js';
import { authRoutes } from './http/routes/auth.js';
import { type DocumentRouteDeps, documentRoutes } from './http/routes/documents.js';
import { groupRoutes } from './http/routes/groups.js';
import { healthRoutes } from './http/routes/health.js';
import { invitationRoutes } from './http/routes/invitations.js';
import { organisationRoutes } from './http/routes/organisations.js';
import { passwordResetRoutes } from './http/routes/passwordResets.js';
import { overviewRoutes } from './http/routes/overview.js';
import { searchRoutes } from './http/routes/search.js';
import { setupRoutes } from './http/routes/setup.js';
import { userRoutes } from './http/routes/users.js';
import { requireActor, sessionLoader } from './http/session.js';

/** What the express app needs. */
export interface AppDeps extends DocumentRouteDeps, AccountRouteDeps {
  log: Logger;
  sessions: Sessions;
  origins: OriginPolicy;
  startedAt: number;
  build: string;
  schemaVersion: number;
  webDistDir: string;
  trustProxy: string | undefined;
}

/** Refuses (401) a caller without a session, before the request's body is read (Express passes the throw on). */
const signedInOnly: RequestHandler = (_request, response, next) => {
  requireActor(response);
  next();
};

/** Express wiring (no listen): security headers, `/api`, then the web app with client-side routing. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  if (deps.trustProxy) app.set('trust proxy', /^\d+$/.test(deps.trustProxy) ? Number(deps.trustProxy) : deps.trustProxy);
  app.use(helmet());

  const api = express.Router();
  // Origin and session come before any body is read.
  api.use(deps.origins.guardMutations());
  api.use('/health', healthRoutes(deps));
  api.use(sessionLoader(deps.sessions));
  // Imports carry a spreadsheet (base64, up to 10 MB), read only for a signed-in caller (no one
  // makes the server parse 14 MB without an account); everything else stays under 1 MB. (A
  // string pattern: Express 5 matched the regular expression this used to be against no path.)
  api.use('/documents/:id/import', signedInOnly, express.json({ limit: '14mb' }));
  api.use(express.json({ limit: '1mb' }));
  api.use('/setup', setupRoutes(deps));
  api.use('/auth', authRoutes(deps));
  api.use('/organisations', organisationRoutes(deps));
  api.use('/users', userRoutes(deps));
  api.use('/invitations', invitationRoutes(deps));
  api.use('/password-resets', passwordResetRoutes(deps));
  api.use('/groups', groupRoutes(deps));
  api.use('/documents', documentRoutes(deps));
  api.use('/search', searchRoutes(deps));
  api.use('/overview', overviewRoutes(deps));
  api.use(apiNotFound);
  app.use('/api', api);

  const indexHtml = join(deps.webDistDir, 'index.html');
  app.use(express.static(deps.webDistDir, { index: false, maxAge: '1h' }));
  app.get(/.*/, (_request, response) => {
    if (existsSync(indexHtml)) {
      response.setHeader('Cache-Control', 'no-cache');
      response.sendFile(indexHtml);
    } else {
      response.status(503).type('text/plain').send('The web app is not built yet: run `npm run build`.');
    }
  });
  app.use(createErrorHandler(deps.log));
  return app;
}
