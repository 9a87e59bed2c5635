import { CloseCode } from '@samverkan/protocol';
import type { Sessions } from '../../access/Sessions.js';
import { type Extension, SyncRefusal } from '../Extension.js';

const palette = ['#1b6e3c', '#b3541e', '#2b5aa8', '#7a3b8f', '#a8324a', '#0f6d74', '#6b5b12', '#3f4fa0'];

/** A stable colour per user (WCAG contrast ≥ 4.5 on white for every palette entry). */
export function presenceColour(userId: string): string {
  let hash = 0;
  for (const char of userId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return palette[hash % palette.length] as string;
}

/**
 * The Yjs socket requires a session (the cookie of the upgrade request): none → close 4401
 * after the upgrade, before any document byte. Sets the connection's user, session and the
 * presence identity the server writes into its awareness states.
 */
export function createAuthExtension(sessions: Sessions): Extension {
  return {
    name: 'auth',
    async authenticate({ request, context }) {
      const cookie = request.headers.cookie;
      const actor = await sessions.resolveHeader(Array.isArray(cookie) ? cookie.join('; ') : cookie);
      if (!actor) throw new SyncRefusal(CloseCode.unauthorized, 'sign in first');
      context.userId = actor.user.id;
      context.sessionIdHash = actor.session.idHash;
      context.presence = { id: actor.user.id, name: actor.user.name, colour: presenceColour(actor.user.id) };
    },
  };
}
