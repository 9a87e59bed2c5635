import { CloseCode } from '@samverkan/protocol';
import { type Access, allows } from '../../access/accessPolicy.js';
import { type Extension, SyncRefusal } from '../Extension.js';

/**
 * Per-document access on the Yjs socket (after `auth` and `catalog`): no access → close 4404
 * with no document bytes (the same as an unknown document); readers and commenters are
 * read-only (their sync step 2 and update messages are dropped, never stored or relayed).
 */
export function createAccessExtension(access: Access): Extension {
  return {
    name: 'access',
    async authenticate({ documentId, context }) {
      const principal = context.userId ? await access.principalOf(context.userId) : null;
      const { level } = await access.accessLevel(principal, documentId);
      if (!allows(level, 'read')) throw new SyncRefusal(CloseCode.notFound, 'document not found');
      if (!allows(level, 'edit')) context.readOnly = true;
    },
  };
}
