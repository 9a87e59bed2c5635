import { createDocumentRequestSchema, documentIdSchema, updateDocumentRequestSchema } from '@samverkan/protocol';
import { Router } from 'express';
import { type DocumentCommandDeps, documentCreator } from '../../commands/documentCreator.js';
import { documentRenamer } from '../../commands/documentRenamer.js';
import type { DocumentRecord } from '../../store/ports.js';
import { httpErrors } from '../errors.js';
import { presentDocument } from '../presenters.js';
import { requireActor } from '../session.js';

/** Dependencies of the document routes. */
export interface DocumentRouteDeps extends DocumentCommandDeps {
  /** Called after a catalogue entry was created or changed (live lists). */
  onDocumentChanged: (record: DocumentRecord) => void;
}

/**
 * `/api/documents`. Signed-in users only. The access matrix (owner organisation, visibility,
 * shares) is enforced by the access-control issue; until then every signed-in user can list and
 * open every catalogued document.
 */
export function documentRoutes(deps: DocumentRouteDeps): Router {
  const router = Router();

  const findDocument = async (id: unknown): Promise<DocumentRecord> => {
    const parsed = documentIdSchema.safeParse(id);
    const record = parsed.success ? await deps.store.documents.get(parsed.data) : null;
    if (!record || record.deletedAt) throw httpErrors.notFound('No such document.');
    return record;
  };

  router.use((_request, response, next) => {
    requireActor(response);
    next();
  });

  router.post('/', async (request, response) => {
    const actor = requireActor(response);
    const input = createDocumentRequestSchema.parse(request.body);
    const record = await documentCreator(deps, { userId: actor.user.id, organisationId: actor.organisation.id }, input);
    deps.onDocumentChanged(record);
    response.status(201).json(presentDocument(record));
  });

  router.get('/', async (_request, response) => {
    const records = await deps.store.documents.list();
    response.json({ documents: records.map(presentDocument) });
  });

  router.get('/:id', async (request, response) => {
    response.json(presentDocument(await findDocument(request.params.id)));
  });

  router.patch('/:id', async (request, response) => {
    const actor = requireActor(response);
    let record = await findDocument(request.params.id);
    const input = updateDocumentRequestSchema.parse(request.body);
    if (input.visibility !== undefined && input.visibility !== record.visibility) {
      throw httpErrors.validation('visibility: changing visibility arrives with access control.');
    }
    if (input.title !== undefined && input.title !== record.title) {
      record = await documentRenamer(deps, actor.user.id, record, input.title);
      deps.onDocumentChanged(record);
    }
    response.json(presentDocument(record));
  });

  return router;
}
