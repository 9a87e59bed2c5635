import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { apiNotFound, createErrorHandler } from './http/errorHandler.js';
import type { OriginPolicy } from './http/originPolicy.js';
import { type DocumentRouteDeps, documentRoutes } from './http/routes/documents.js';
import { healthRoutes } from './http/routes/health.js';

/** What the express app needs. */
export interface AppDeps extends DocumentRouteDeps {
  log: Logger;
  origins: OriginPolicy;
  startedAt: number;
  build: string;
  schemaVersion: number;
  webDistDir: string;
  trustProxy: string | undefined;
}

/** Express wiring (no listen): security headers, `/api`, then the web app with client-side routing. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  if (deps.trustProxy) app.set('trust proxy', /^\d+$/.test(deps.trustProxy) ? Number(deps.trustProxy) : deps.trustProxy);
  app.use(helmet());

  const api = express.Router();
  api.use(express.json({ limit: '1mb' }));
  api.use(deps.origins.guardMutations());
  api.use('/health', healthRoutes(deps));
  api.use('/documents', documentRoutes(deps));
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
