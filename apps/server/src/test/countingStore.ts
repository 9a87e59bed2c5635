import type { Store } from '../store/ports.js';

/**
 * Wraps a real store and counts document loads (a spy, not a mock: every call goes through).
 * `beforeLoad` may hold a load back (to test what happens while a document is loading).
 */
export function countingStore(
  store: Store,
  options: { beforeLoad?: (documentId: string) => Promise<void> } = {},
): { store: Store; loads: Map<string, number> } {
  const loads = new Map<string, number>();
  const updates = {
    ...store.updates,
    appendUpdates: store.updates.appendUpdates.bind(store.updates),
    compact: store.updates.compact.bind(store.updates),
    ...(store.updates.compactInStore ? { compactInStore: store.updates.compactInStore.bind(store.updates) } : {}),
    flush: store.updates.flush.bind(store.updates),
    loadDocument: async (documentId: string) => {
      loads.set(documentId, (loads.get(documentId) ?? 0) + 1);
      await options.beforeLoad?.(documentId);
      return store.updates.loadDocument(documentId);
    },
  };
  const wrapped: Store = {
    kind: store.kind,
    updates,
    documents: store.documents,
    accounts: store.accounts,
    shares: store.shares,
    search: store.search,
    adoptions: store.adoptions,
    sessions: store.sessions,
    audit: store.audit,
    health: () => store.health(),
    commitQueueLength: () => store.commitQueueLength(),
    ping: (timeoutMs) => store.ping(timeoutMs),
    close: () => store.close(),
  };
  return { store: wrapped, loads };
}
