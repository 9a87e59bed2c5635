import type { HealthResponse } from '@samverkan/protocol';
import { Router } from 'express';
import type { Store } from '../../store/ports.js';

/** `GET /api/health`: 200 when the store answers, 503 while it does not. */
export function healthRoutes(deps: { store: Store; startedAt: number; build: string; schemaVersion: number }): Router {
  const router = Router();
  router.get('/', async (_request, response) => {
    let health = deps.store.health();
    if (health.ok) {
      try {
        await deps.store.ping(1000);
      } catch (error) {
        health = { ok: false, error: error instanceof Error ? error.message : 'store did not answer' };
      }
    }
    const body: HealthResponse = {
      status: health.ok ? 'ok' : 'unavailable',
      store: { kind: deps.store.kind, ok: health.ok, ...(health.error ? { error: health.error } : {}) },
      uptimeSeconds: Math.round((Date.now() - deps.startedAt) / 1000),
      build: deps.build,
      schemaVersion: deps.schemaVersion,
    };
    response.status(health.ok ? 200 : 503).json(body);
  });
  return router;
}
