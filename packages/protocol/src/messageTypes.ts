/**
 * First varUint of every binary message on `/yjs/:documentId`.
 *
 * 0–3 are the y-websocket protocol, understood by the standard `WebsocketProvider`.
 * 100 and up are Samverkan additions, sent only to connections that opted in through URL
 * parameters (`?ack=1`, `?schema=N`), because standard clients log an error for unknown types.
 */
export const MessageType = {
  /** y-protocols sync: step 1 (state vector), step 2 (missing updates), update. */
  sync: 0,
  /** y-protocols awareness update. */
  awareness: 1,
  /** y-protocols auth (permission denied); sent by the server only. */
  auth: 2,
  /** Ask the peer to send all awareness states it knows. */
  queryAwareness: 3,
  /**
   * Acknowledgement after a durable commit (only with `?ack=1`):
   * `varUint(100) varUint(n)` where n is the number of this connection's write messages
   * (sync step 2 and update) that are now durable in the store, counted from the server's
   * handshake on.
   */
  ack: 100,
  /**
   * Server announcement (only with `?schema=N`):
   * `varUint(101) varUint(schemaVersion) varString(build) varUint(writable 0|1)`.
   * `writable` is 0 when the connection's schema is older than the server's: its writes are
   * dropped and the user should reload.
   */
  serverInfo: 101,
} as const;

export type MessageTypeName = keyof typeof MessageType;

/** y-protocols sync sub-types (second varUint of a `sync` message). */
export const SyncMessageType = {
  step1: 0,
  step2: 1,
  update: 2,
} as const;
