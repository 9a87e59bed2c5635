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

/** Runs a localStorage call; storage that is full or blocked gives `fallback` (the edit itself is in IndexedDB). */
function stored<T>(call: () => T, fallback: T): T {
  try {
    return call();
  } catch {
    return fallback;
  }
}

/** A local edit was made: until the server confirms it, the document is not removed from the device. */
export function markUnsaved(userId: string, documentId: string): void {
  stored(() => localStorage.setItem(unsavedKey(keptDatabaseName(userId, documentId)), '1'), undefined);
}

/** The server confirmed every edit of the document (saved). */
export function markSaved(userId: string, documentId: string): void {
  stored(() => localStorage.removeItem(unsavedKey(keptDatabaseName(userId, documentId))), undefined);
}

function isUnsaved(databaseName: string): boolean {
  return stored(() => localStorage.getItem(unsavedKey(databaseName)) !== null, false);
}

/** Whether this device holds edits of the document that the server has not confirmed. */
export function hasUnsaved(userId: string, documentId: string): boolean {
  return isUnsaved(keptDatabaseName(userId, documentId));
}

/** Whether this device holds edits of any of the user's documents that the server has not confirmed. */
export function hasUnsavedDocuments(userId: string): boolean {
  const prefix = unsavedKey(`${DEVICE_PREFIX}${userId}:`);
  return stored(() => Array.from({ length: localStorage.length }, (_, index) => localStorage.key(index)).some((key) => key?.startsWith(prefix)), false);
}

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}

/**
 * Removes one document of one user from the device (access revoked); keeps it while it holds
 * edits the server has not confirmed.
 */
export async function forgetDocument(userId: string, documentId: string): Promise<void> {
  if (hasUnsaved(userId, documentId)) return;
  await deleteDatabase(keptDatabaseName(userId, documentId));
  if ('caches' in window) {
    const cache = await caches.open(API_CACHE);
    for (const request of await cache.keys()) if (new URL(request.url).pathname.includes(documentId)) await cache.delete(request);
  }
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
