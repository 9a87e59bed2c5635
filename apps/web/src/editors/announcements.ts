import { useEffect, useRef, useState } from 'react';
import type { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';

/**
 * The text for a polite live region: items that others added to or removed from one of the
 * document's maps (measures, log entries). Only changes that arrived from the server count, not
 * the device copy loading or the user's own edits.
 */
export function useRemoteAnnouncements(
  doc: Y.Doc,
  provider: WebsocketProvider,
  mapName: string,
  describe: (action: 'add' | 'delete', item: Y.Map<unknown> | undefined) => string | null,
): string {
  const [message, setMessage] = useState('');
  const describeRef = useRef(describe);
  describeRef.current = describe;
  useEffect(() => {
    const map = doc.getMap<Y.Map<unknown>>(mapName);
    const observer = (event: Y.YMapEvent<Y.Map<unknown>>, transaction: Y.Transaction) => {
      if (transaction.origin !== provider) return;
      const parts: string[] = [];
      event.changes.keys.forEach((change, key) => {
        if (change.action === 'add' || change.action === 'delete') {
          const text = describeRef.current(change.action, map.get(key));
          if (text) parts.push(text);
        }
      });
      if (parts.length > 0) setMessage(parts.join(' '));
    };
    map.observe(observer);
    return () => map.unobserve(observer);
  }, [doc, provider, mapName]);
  return message;
}
