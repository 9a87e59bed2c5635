import { ActionPlan, PilotLog, markdownToPrintableHtml, measuresToCsv, parseFacts, pilotToMarkdown, planToHtml, planToJson, planToMarkdown } from '@samverkan/model';
import * as Y from 'yjs';
import { planToDocx } from '../../commands/docxExport.js';
import {
  adoptRequestSchema,
  createDocumentRequestSchema,
  createShareRequestSchema,
  documentIdSchema,
  type ListDocumentsQuery,
  listDocumentsQuerySchema,
  updateDocumentRequestSchema,
} from '@samverkan/protocol';
import type { DocumentFacts } from '@samverkan/model';
import { type Request, Router, type Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { type Access, type AccessLevel, allows } from '../../access/accessPolicy.js';
import type { EventBus } from '../../bus/EventBus.js';
import { type DocumentCommandDeps, documentCreator } from '../../commands/documentCreator.js';
import { documentRenamer } from '../../commands/documentRenamer.js';
import { measureAdopter } from '../../commands/measureAdopter.js';
import { measureImporter, previewTable, readTable, suggestMapping } from '../../commands/measureImporter.js';
import { CommandError } from '../../commands/CommandError.js';
import { documentTrasher, shareCreator, shareRemover, visibilityChanger } from '../../commands/documentSharing.js';
import { storedOrPending } from '../../commands/storedOrPending.js';
import type { DocumentRecord } from '../../store/ports.js';
import { loggedPath } from '../errorHandler.js';
import { httpErrors } from '../errors.js';
import { presentDocument, presentShare } from '../presenters.js';
import { requireActor } from '../session.js';

/** Dependencies of the document routes. */
export interface DocumentRouteDeps extends DocumentCommandDeps {
  access: Access;
  bus: EventBus;
  /** Called after a catalogue entry was created or changed (live lists). */
  onDocumentChanged: (record: DocumentRecord) => void;
  log: Logger;
  /** How long a document change may wait for a failing store before its request is answered 503 `change_pending` (default 5 s; see storedOrPending). */
  serverChangePendingAfterMs?: number;
}

/**
 * `/api/documents`, signed-in users only, every route asking the access module. A document the
 * caller cannot read answers 404 (as if it did not exist); one they can read but not change as
 * asked answers 403.
 */
export function documentRoutes(deps: DocumentRouteDeps): Router {
  const router = Router();

  /** The document and the caller's level, requiring `needed` (404 below read, 403 below `needed`). */
  const authorise = async (response: Response, id: unknown, needed: AccessLevel) => {
    const actor = requireActor(response);
    const parsed = documentIdSchema.safeParse(id);
    const principal = await deps.access.principalOf(actor.user.id);
    const { level, document } = parsed.success ? await deps.access.accessLevel(principal, parsed.data) : { level: 'none' as const, document: null };
    if (!document || !allows(level, 'read')) throw httpErrors.notFound('Dokumentet finns inte. / No such document.');
    if (!allows(level, needed)) throw httpErrors.forbidden('Du har inte behörighet att göra detta. / You may not do this.');
    return { actor, document, level };
  };

  router.use((_request, response, next) => {
    requireActor(response);
    next();
  });

  /**
   * Runs a command that changes a document's content: refused at once while the store is failing,
   * answered 503 `change_pending` once its change has waited for the store too long (the command
   * then finishes in the background when the store takes it; see storedOrPending).
   */
  const changing = <T>(request: Request, command: (commandDeps: DocumentRouteDeps) => Promise<T>): Promise<T> => {
    // Only these are kept for the report: not the request (an import's body is up to 14 MB).
    const method = request.method;
    const path = loggedPath(request.originalUrl);
    return storedOrPending(deps.store, deps.documents, (documents) => command({ ...deps, documents }), {
      ...(deps.serverChangePendingAfterMs === undefined ? {} : { pendingAfterMs: deps.serverChangePendingAfterMs }),
      onSettledAfterPending: (error) => {
        if (error === null) deps.log.info({ method, path }, 'a pending change was stored and its request finished');
        else if (error instanceof CommandError) deps.log.warn({ method, path, kind: error.kind }, 'a pending change was refused after its request was answered');
        else deps.log.error({ err: error, method, path }, 'a pending change failed after its request was answered');
      },
    });
  };

  router.post('/', async (request, response) => {
    const actor = requireActor(response);
    const input = createDocumentRequestSchema.parse(request.body);
    if (input.visibility?.startsWith('group:') && !(await deps.store.accounts.getGroup(input.visibility.slice('group:'.length)))) {
      throw httpErrors.validation('visibility: Gruppen finns inte. / No such group.');
    }
    const record = await changing(request, async (commandDeps) => {
      const created = await documentCreator(commandDeps, { userId: actor.user.id, organisationId: actor.organisation.id, language: actor.user.language }, input);
      deps.onDocumentChanged(created);
      return created;
    });
    response.status(201).json(presentDocument(record, 'manage'));
  });

  router.get('/', async (request, response) => {
    const actor = requireActor(response);
    const query = listDocumentsQuerySchema.parse(request.query);
    let readable = (await deps.access.readableDocuments(await deps.access.principalOf(actor.user.id))).filter(
      (entry) => (!query.type || entry.document.type === query.type) && (!query.organisation || entry.document.ownerOrganisationId === query.organisation),
    );
    if (query.sector || query.status || query.outcome) {
      const facts = await deps.store.documents.getFacts(readable.map((entry) => entry.document.id));
      readable = readable.filter((entry) => {
        const json = facts.get(entry.document.id);
        const parsed = json === undefined ? null : parseFacts(json);
        return parsed !== null && factsMatch(parsed, query);
      });
    }
    response.json({ documents: readable.map((entry) => presentDocument(entry.document, entry.level)) });
  });

  router.get('/:id', async (request, response) => {
    const { document, level } = await authorise(response, request.params.id, 'read');
    response.json(presentDocument(document, level));
  });

  router.patch('/:id', async (request, response) => {
    const input = updateDocumentRequestSchema.parse(request.body);
    const needed: AccessLevel = input.visibility !== undefined ? 'manage' : 'edit';
    const authorised = await authorise(response, request.params.id, needed);
    const { actor, level } = authorised;
    const visibility = input.visibility !== undefined && input.visibility !== authorised.document.visibility ? input.visibility : undefined;
    const title = input.title !== undefined && input.title !== authorised.document.title ? input.title : undefined;
    const update = async (commandDeps: DocumentRouteDeps): Promise<DocumentRecord> => {
      let document = authorised.document;
      if (visibility !== undefined) document = await visibilityChanger(commandDeps, actor.user.id, document, visibility);
      if (title !== undefined) document = await documentRenamer(commandDeps, actor.user.id, document, title);
      deps.onDocumentChanged(document);
      return document;
    };
    // A title changes the document's content: nothing of the request is done while the store fails.
    const document = title === undefined ? await update(deps) : await changing(request, update);
    response.json(presentDocument(document, level));
  });

  router.delete('/:id', async (request, response) => {
    const { actor, document } = await authorise(response, request.params.id, 'manage');
    await documentTrasher(deps, actor.user.id, document);
    response.status(204).end();
  });

  /** Export with the same authorization as reading: Markdown and printable HTML (plans, pilots), CSV, JSON and DOCX (plans). */
  router.get('/:id/export', async (request, response) => {
    const { document } = await authorise(response, request.params.id, 'read');
    const format = typeof request.query.format === 'string' ? request.query.format : 'md';
    const actor = requireActor(response);
    const organisations = new Map((await deps.store.accounts.listOrganisations()).map((organisation) => [organisation.id, organisation.name]));
    const users = new Map((await deps.store.accounts.listUsers()).map((user) => [user.id, user.name]));
    const names = (id: string) => organisations.get(id) ?? users.get(id);
    const language = actor.user.language;
    const fileName = document.title.replace(/[^\p{L}\p{N} _-]/gu, '').trim().replace(/\s+/g, '-') || 'dokument';
    if (document.type === 'plan' && format === 'docx') {
      // Build from a detached copy (the DOCX packer is asynchronous; the room's doc may change meanwhile).
      const state = await deps.documents.readDocument(document.id, (doc) => Y.encodeStateAsUpdate(doc));
      const copy = new Y.Doc();
      Y.applyUpdate(copy, state);
      const buffer = await planToDocx(new ActionPlan(copy), { language, names });
      copy.destroy();
      response.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
      response.setHeader('Content-Disposition', `attachment; filename="export.docx"; filename*=UTF-8''${encodeURIComponent(fileName)}.docx`);
      response.send(buffer);
      return;
    }
    const exported = await deps.documents.readDocument(document.id, (doc) => {
      if (document.type === 'plan') {
        const plan = new ActionPlan(doc);
        if (format === 'html') return { type: 'text/html; charset=utf-8', ext: 'html', body: planToHtml(plan, { language, names }) };
        if (format === 'md') return { type: 'text/markdown; charset=utf-8', ext: 'md', body: planToMarkdown(plan, { language, names }) };
        if (format === 'csv') return { type: 'text/csv; charset=utf-8', ext: 'csv', body: `\uFEFF${measuresToCsv(plan, names)}` };
        if (format === 'json') return { type: 'application/json; charset=utf-8', ext: 'json', body: JSON.stringify(planToJson(plan, names), null, 2) };
      } else if (document.type === 'pilot') {
        const pilot = new PilotLog(doc);
        if (format === 'md') return { type: 'text/markdown; charset=utf-8', ext: 'md', body: pilotToMarkdown(pilot, { language, names }) };
        if (format === 'html') {
          return { type: 'text/html; charset=utf-8', ext: 'html', body: markdownToPrintableHtml(pilotToMarkdown(pilot, { language, names }), { title: pilot.title, language }) };
        }
      }
      return null;
    });
    if (!exported) throw httpErrors.validation(`format: ${format} is not available for a ${document.type}.`);
    response.setHeader('Content-Type', exported.type);
    response.setHeader('Content-Disposition', `attachment; filename="export.${exported.ext}"; filename*=UTF-8''${encodeURIComponent(fileName)}.${exported.ext}`);
    response.send(exported.body);
  });

  router.post('/:id/adopt', async (request, response) => {
    const actor = requireActor(response);
    const input = adoptRequestSchema.parse(request.body);
    const sourceId = documentIdSchema.safeParse(request.params.id);
    if (!sourceId.success) throw httpErrors.notFound('Dokumentet finns inte. / No such document.');
    const adopted = await changing(request, (commandDeps) => measureAdopter(commandDeps, { userId: actor.user.id }, { sourceDocumentId: sourceId.data, measureId: input.measureId, targetPlanId: input.targetPlanId }));
    response.status(201).json(adopted);
  });

  /** Who adopted from this document; target plans only where the caller may read them. */
  router.get('/:id/adoptions', async (request, response) => {
    const { actor, document } = await authorise(response, request.params.id, 'read');
    const principal = await deps.access.principalOf(actor.user.id);
    const adoptions = await deps.store.adoptions.listForSource(document.id);
    const users = new Map((await deps.store.accounts.listUsers()).map((user) => [user.id, user]));
    const result = [];
    for (const adoption of adoptions) {
      const target = await deps.access.accessLevel(principal, adoption.targetDocumentId);
      const adopter = users.get(adoption.adoptedBy);
      result.push({
        sourceItemId: adoption.sourceItemId,
        adoptedBy: adoption.adoptedBy,
        adopterName: adopter?.name ?? null,
        organisationId: adopter?.organisationId ?? null,
        adoptedAt: adoption.adoptedAt,
        ...(allows(target.level, 'read') && target.document ? { targetDocumentId: adoption.targetDocumentId, targetTitle: target.document.title } : {}),
      });
    }
    response.json({ adoptions: result });
  });

  const importBody = z
    .object({
      format: z.enum(['csv', 'xlsx']),
      content: z.string().min(1).max(14_000_000),
      mapping: z.record(z.string(), z.string()).optional(),
    })
    .strict();

  /** Import step 1: the table, a suggested column mapping, the rows that would be imported and the rejected ones. Writes nothing. */
  router.post('/:id/import/preview', async (request, response) => {
    await authorise(response, request.params.id, 'edit');
    const input = importBody.parse(request.body);
    const table = await readTable(input.format, input.content);
    const preview = previewTable(table, input.mapping ?? suggestMapping(table.headers));
    response.json(preview);
  });

  /** Import step 2: writes exactly the good rows of the same file and mapping. */
  router.post('/:id/import/confirm', async (request, response) => {
    const { actor, document } = await authorise(response, request.params.id, 'edit');
    const input = importBody.parse(request.body);
    const table = await readTable(input.format, input.content);
    const preview = previewTable(table, input.mapping ?? suggestMapping(table.headers));
    const result = await changing(request, (commandDeps) => measureImporter(commandDeps, actor.user.id, document, preview));
    response.status(201).json({ ...result, rejected: preview.rejected, notReadAfterRow: preview.notReadAfterRow });
  });

  router.get('/:id/shares', async (request, response) => {
    const { document } = await authorise(response, request.params.id, 'read');
    response.json({ shares: (await deps.store.shares.listForDocument(document.id)).map(presentShare) });
  });

  router.post('/:id/shares', async (request, response) => {
    const input = createShareRequestSchema.parse(request.body);
    const { actor, document } = await authorise(response, request.params.id, 'manage');
    const share = await shareCreator(deps, actor.user.id, document, input);
    deps.onDocumentChanged(document);
    response.status(201).json(presentShare(share));
  });

  router.delete('/:id/shares/:shareId', async (request, response) => {
    const { actor, document } = await authorise(response, request.params.id, 'manage');
    const shareId = documentIdSchema.safeParse(request.params.shareId);
    if (!shareId.success) throw httpErrors.notFound('Delningen finns inte. / No such share.');
    await shareRemover(deps, actor.user.id, document, shareId.data);
    response.status(204).end();
  });

  return router;
}

/** Whether a document's extracted figures match the list filters: one measure (or the pilot) matching all of them. */
function factsMatch(facts: DocumentFacts, query: ListDocumentsQuery): boolean {
  if (facts.pilot) {
    const pilot = facts.pilot;
    return (!query.sector || pilot.sector === query.sector) && (!query.status || pilot.status === query.status) && (!query.outcome || pilot.recommendation === query.outcome);
  }
  if (query.outcome) return false;
  return facts.measures.some((measure) => (!query.sector || measure.sector === query.sector) && (!query.status || measure.status === query.status));
}
