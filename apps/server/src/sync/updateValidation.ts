import * as Y from 'yjs';

export type UpdateCheck = { ok: true; empty: boolean } | { ok: false; reason: string };

/**
 * Decodes an incoming Yjs update before it is stored, so a malformed update can never enter
 * the log (where it would break every later load).
 */
export function decodeUpdateSafely(update: Uint8Array): UpdateCheck {
  try {
    const decoded = Y.decodeUpdate(update);
    return { ok: true, empty: decoded.structs.length === 0 && decoded.ds.clients.size === 0 };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : 'malformed update' };
  }
}
