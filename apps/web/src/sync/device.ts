/**
 * What this device keeps of a user's documents: one IndexedDB database per opened document
 * (`y-indexeddb`), named `samverkan:<userId>:<documentId>`, and the service worker's cache of
 * the API answers needed to open them offline. Signing out, a session that ended, or losing
 * access to a document removes it from the device.
 */
export const DEVICE_PREFIX = 'samverkan:';
/** The service worker's cache of API reads (see vite.config.ts). */
export const API_CACHE = 'samverkan-api';

export function keptDatabaseName(userId: string, documentId: string): string {
  return `${DEVICE_PREFIX}${userId}:${documentId}`;
}

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}

/** Removes one document of one user from the device (access revoked). */
export async function forgetDocument(userId: string, documentId: string): Promise<void> {
  await deleteDatabase(keptDatabaseName(userId, documentId));
  if ('caches' in window) {
    const cache = await caches.open(API_CACHE);
    for (const request of await cache.keys()) if (new URL(request.url).pathname.includes(documentId)) await cache.delete(request);
  }
}

/** Removes every document and cached API answer of every user from the device (sign-out). */
export async function forgetEverything(): Promise<void> {
  const databases = typeof indexedDB.databases === 'function' ? await indexedDB.databases() : [];
  await Promise.all(databases.filter((entry) => entry.name?.startsWith(DEVICE_PREFIX)).map((entry) => deleteDatabase(entry.name ?? '')));
  if ('caches' in window) await caches.delete(API_CACHE);
}
