import { documentTypeSchema } from '@samverkan/protocol';
import { Router } from 'express';
import { z } from 'zod';
import type { Access } from '../../access/accessPolicy.js';
import type { Store } from '../../store/ports.js';
import { requireActor } from '../session.js';

const searchQuerySchema = z.object({
  q: z.string().trim().min(1).max(200),
  type: documentTypeSchema.optional(),
  sector: z.string().max(40).optional(),
  status: z.string().max(40).optional(),
  organisation: z.string().max(64).optional(),
});

/** Splits a marked string (\u0002 … \u0003) into segments the client renders without HTML. */
function segments(marked: string): { text: string; match: boolean }[] {
  const parts: { text: string; match: boolean }[] = [];
  // eslint-disable-next-line no-control-regex -- the markers are control characters on purpose
  for (const [index, piece] of marked.split(/[\u0002\u0003]/).entries()) if (piece) parts.push({ text: piece, match: index % 2 === 1 });
  return parts;
}

/**
 * `GET /api/search?q=&type=&sector=&status=&organisation=`: full-text search over titles,
 * measure texts and pilot logs, only among `readableDocuments(user)`.
 */
export function searchRoutes(deps: { store: Store; access: Access }): Router {
  const router = Router();
  router.get('/', async (request, response) => {
    const actor = requireActor(response);
    const query = searchQuerySchema.parse(request.query);
    const readable = await deps.access.readableDocuments(await deps.access.principalOf(actor.user.id));
    const candidates = readable.filter(
      (entry) => (!query.type || entry.document.type === query.type) && (!query.organisation || entry.document.ownerOrganisationId === query.organisation),
    );
    const byId = new Map(candidates.map((entry) => [entry.document.id, entry]));
    const hits = await deps.store.search.search(query.q, { documentIds: [...byId.keys()], limit: 100 });
    const results = hits
      .filter((hit) => (!query.sector || hit.sector === query.sector) && (!query.status || hit.status === query.status))
      .map((hit) => {
        const { document, level } = byId.get(hit.documentId)!;
        return {
          documentId: document.id,
          documentTitle: document.title,
          type: document.type,
          ownerOrganisationId: document.ownerOrganisationId,
          access: level,
          itemId: hit.itemId,
          sector: hit.sector,
          status: hit.status,
          title: segments(hit.title),
          snippet: segments(hit.snippet),
        };
      });
    response.json({ results });
  });
  return router;
}
