import { CloseCode } from '@samverkan/protocol';
import type { Sessions } from '../../access/Sessions.js';
import { type Extension, SyncRefusal } from '../Extension.js';

/**
 * The Yjs socket requires a session (the cookie of the upgrade request): none → close 4401
 * after the upgrade, before any document byte. Per-document access is the access-control
 * issue's matrix.
 */
export function createAuthExtension(sessions: Sessions): Extension {
  return {
    name: 'auth',
    async authenticate({ request, context }) {
      const cookie = request.headers.cookie;
      const actor = await sessions.resolveHeader(Array.isArray(cookie) ? cookie.join('; ') : cookie);
      if (!actor) throw new SyncRefusal(CloseCode.unauthorized, 'sign in first');
      context.userId = actor.user.id;
    },
  };
}
