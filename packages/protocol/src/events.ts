import type { DocumentSummary } from './api.js';

/**
 * socket.io events from the server to a client. Typed here so server, web app and tests agree.
 */
export interface ServerToClientEvents {
  /** Sent once after connecting. */
  hello: (info: { build: string; schemaVersion: number }) => void;
  /** A document the receiver can read was created or changed (title, visibility, shares). */
  'document:changed': (document: DocumentSummary) => void;
  /** The receiver can no longer read this document (unshared, visibility narrowed, trashed). */
  'document:removed': (document: { id: string }) => void;
}

/** socket.io events from a client to the server. */
export interface ClientToServerEvents {
  ping: (callback: (answer: { time: number }) => void) => void;
  /** Joins a document's room (requires read access); answers whether it was allowed. */
  'document:join': (documentId: string, callback: (answer: { ok: boolean }) => void) => void;
  'document:leave': (documentId: string) => void;
}
