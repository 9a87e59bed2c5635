/**
 * WebSocket close codes used on `/yjs/:documentId`.
 *
 * 1xxx codes are the standard ones from RFC 6455; 44xx codes are Samverkan's own and mean
 * "do not reconnect": the web client stops its provider when it sees one of them.
 */
export const CloseCode = {
  /** Normal close (server shutdown, client left). */
  normal: 1000,
  /** The server is going away (SIGTERM); clients may reconnect later. */
  goingAway: 1001,
  /** A message that could not be decoded, or a frame the WebSocket protocol forbids. */
  protocolError: 1002,
  /** The message decoded but is not acceptable (unknown type, malformed update). */
  unsupportedData: 1003,
  /** A close frame whose reason is not UTF-8. */
  invalidPayload: 1007,
  /** A frame larger than the configured maximum. */
  messageTooBig: 1009,
  /** An unexpected server error while handling the connection. */
  internalError: 1011,
  /** Temporarily overloaded (rate or buffer limit); the client may retry later. */
  tryAgainLater: 1013,
  /** The connection's access to the document changed; reconnect to get the new rights. */
  accessChanged: 4000,
  /** No valid session. */
  unauthorized: 4401,
  /** Authenticated but not allowed to do what was attempted. */
  forbidden: 4403,
  /** The document does not exist or the caller may not read it (indistinguishable on purpose). */
  notFound: 4404,
} as const;

export type CloseCodeName = keyof typeof CloseCode;
export type CloseCodeValue = (typeof CloseCode)[CloseCodeName];

/** True for the close codes after which a client must not reconnect on its own. */
export function isTerminalCloseCode(code: number): boolean {
  return code >= 4400 && code < 4500;
}
