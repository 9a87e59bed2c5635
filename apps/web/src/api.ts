import type { ErrorBody } from '@samverkan/protocol';
import type { Translate } from './i18n/index.js';

/** A failed REST call: status, the server's error id and its (bilingual) message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly id: string,
    readonly serverMessage: string,
    /** The path that was called (a 401 from signing in means wrong credentials; elsewhere, signed out). */
    readonly path = '',
  ) {
    super(`${status} ${id}`);
  }
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) {
    const payload = (await response.json().catch(() => null)) as Partial<ErrorBody> | null;
    throw new ApiError(response.status, payload?.error?.id ?? 'internal_error', payload?.error?.message ?? '', path);
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body: unknown = {}) => request<T>('POST', path, body),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  delete: <T>(path: string) => request<T>('DELETE', path),
};

/**
 * The server writes its messages as "Svenska / English"; the user sees the half in their
 * language. Used only as the detail of a catalogue message.
 */
function serverDetail(message: string, locale: 'sv' | 'en'): string {
  const parts = message.split(' / ');
  return (parts.length === 2 ? (locale === 'en' ? parts[1] : parts[0]) : message) ?? message;
}

/**
 * Whether a failed change is waiting for the server's store and will be made once it answers:
 * the form that sent it must not offer to send it again.
 */
export function isPendingChange(error: unknown): boolean {
  return error instanceof ApiError && error.id === 'change_pending';
}

/** What to tell the user about a failed call, from the catalogue. */
export function errorText(t: Translate, locale: 'sv' | 'en', error: unknown): string {
  if (!(error instanceof ApiError)) return t('errorGeneric');
  if (error.id === 'rate_limited') return t('errorRateLimited');
  if (error.status === 401) return error.path === '/api/auth/login' ? t('errorWrongCredentials') : t('errorSignedOut');
  if (error.status === 403) return t('errorForbidden');
  if (error.status === 404) return t('errorNotFound');
  if (isPendingChange(error)) return t('errorChangePending');
  if (error.status === 503) return t('errorUnavailable');
  if (error.id === 'validation_error') return t('errorValidation', { detail: serverDetail(error.serverMessage, locale) });
  if (error.id === 'conflict') return t('errorConflict', { detail: serverDetail(error.serverMessage, locale) });
  return t('errorGeneric');
}
