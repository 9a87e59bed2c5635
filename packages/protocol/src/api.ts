import { z } from 'zod';

/** Kinds of collaborative documents. */
export const documentTypeSchema = z.enum(['plan', 'pilot', 'board']);
export type DocumentType = z.infer<typeof documentTypeSchema>;

/** `private` (default), `group:<groupId>` or `network`. */
export const visibilitySchema = z.union([
  z.literal('private'),
  z.literal('network'),
  z.string().regex(/^group:[A-Za-z0-9_-]{1,64}$/, 'group:<groupId>'),
]);
export type Visibility = z.infer<typeof visibilitySchema>;

export const documentTitleSchema = z.string().trim().min(1).max(200);

/** Body of `POST /api/documents`. */
export const createDocumentRequestSchema = z
  .object({
    type: documentTypeSchema,
    title: documentTitleSchema,
    visibility: visibilitySchema.optional(),
  })
  .strict();
export type CreateDocumentRequest = z.infer<typeof createDocumentRequestSchema>;

/** Body of `PATCH /api/documents/:id`. */
export const updateDocumentRequestSchema = z
  .object({
    title: documentTitleSchema.optional(),
    visibility: visibilitySchema.optional(),
  })
  .strict();
export type UpdateDocumentRequest = z.infer<typeof updateDocumentRequestSchema>;

/** A catalogue entry as the API returns it. */
export interface DocumentSummary {
  id: string;
  type: DocumentType;
  title: string;
  visibility: Visibility;
  createdAt: string;
  updatedAt: string;
}

/** `GET /api/health`. */
export interface HealthResponse {
  status: 'ok' | 'unavailable';
  store: { kind: 'sqlite' | 'mongo'; ok: boolean; error?: string };
  uptimeSeconds: number;
  build: string;
  schemaVersion: number;
}

/** Document ids: URL-safe, so they can be a path segment and a y-websocket room name. */
export const documentIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
