/**
 * What this device keeps of a user's documents: one IndexedDB database per opened document
 * (`y-indexeddb`), named `samverkan:<userId>:<documentId>`, and the service worker's cache of
 * the API answers needed to open them offline. Signing out, a session that ended, or losing
 * access to a document removes it from the device, except a document with edits the server
 * has not confirmed yet: nothing a user typed is thrown away. That copy stays until it is saved
 * (the user signs in again, or gets access back, and opens it).
 */
export const DEVICE_PREFIX = 'samverkan:';
/** The service worker's cache of API reads (see vite.config.ts). */
export const API_CACHE = 'samverkan-api';

export function keptDatabaseName(userId: string, documentId: string): string {
  return `${DEVICE_PREFIX}${userId}:${documentId}`;
}

/** The mark of a kept document with edits the server has not confirmed (only ids, no content). */
const unsavedKey = (databaseName: string): string => `samverkan-unsaved:${databaseName}`;

/** A local edit was made: until the server confirms it, the document is not removed from the device. */
export function markUnsaved(userId: string, documentId: string): void {
  try {
    localStorage.setItem(unsavedKey(keptDatabaseName(userId, documentId)), '1');
  } catch {
    // Storage full or blocked: the edit is still in IndexedDB, and the server gets it when it can.
  }
}

/** The server confirmed every edit of the document (saved). */
export function markSaved(userId: string, documentId: string): void {
  try {
    localStorage.removeItem(unsavedKey(keptDatabaseName(userId, documentId)));
  } catch {
    // see markUnsaved
  }
}

function isUnsaved(databaseName: string): boolean {
  try {
    return localStorage.getItem(unsavedKey(databaseName)) !== null;
  } catch {
    return false;
  }
}

/** Whether this device holds edits of the document that the server has not confirmed. */
export function hasUnsaved(userId: string, documentId: string): boolean {
  return isUnsaved(keptDatabaseName(userId, documentId));
}

/** Documents of a user with edits the server has not confirmed. */
export function unsavedDocuments(userId: string): string[] {
  const prefix = unsavedKey(`${DEVICE_PREFIX}${userId}:`);
  const found: string[] = [];
  try {
    for (let index = 0; index < localStorage.length; index++) {
      const key = localStorage.key(index);
      if (key?.startsWith(prefix)) found.push(key.slice(prefix.length));
    }
  } catch {
    // none known
  }
  return found;
}

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}

/**
 * Removes one document of one user from the device (access revoked); keeps it while it holds
 * edits the server has not confirmed. Returns whether it was removed.
 */
export async function forgetDocument(userId: string, documentId: string): Promise<boolean> {
  if (hasUnsaved(userId, documentId)) return false;
  await deleteDatabase(keptDatabaseName(userId, documentId));
  if ('caches' in window) {
    const cache = await caches.open(API_CACHE);
    for (const request of await cache.keys()) if (new URL(request.url).pathname.includes(documentId)) await cache.delete(request);
  }
  return true;
}

/**
 * Removes every document and cached API answer of every user from the device (sign-out), except
 * the documents with edits the server has not confirmed.
 */
export async function forgetEverything(): Promise<void> {
  const databases = typeof indexedDB.databases === 'function' ? await indexedDB.databases() : [];
  const names = databases.map((entry) => entry.name ?? '').filter((name) => name.startsWith(DEVICE_PREFIX) && !isUnsaved(name));
  await Promise.all(names.map((name) => deleteDatabase(name)));
  if ('caches' in window) await caches.delete(API_CACHE);
}
