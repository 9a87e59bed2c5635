/** Stable error ids returned as `{ error: { id, message } }` by the REST API. */
export const ErrorId = {
  validation: 'validation_error',
  unauthorized: 'unauthorized',
  forbidden: 'forbidden',
  notFound: 'not_found',
  conflict: 'conflict',
  payloadTooLarge: 'payload_too_large',
  rateLimited: 'rate_limited',
  originRefused: 'origin_refused',
  storeUnavailable: 'store_unavailable',
  /** 503: the store stopped answering while a change waited for it; the change stays queued and is stored once it answers, so it must not be made again. */
  changePending: 'change_pending',
  internal: 'internal_error',
} as const;

export type ErrorIdValue = (typeof ErrorId)[keyof typeof ErrorId];

/** The body of every REST error response. */
export interface ErrorBody {
  error: { id: ErrorIdValue; message: string; fields?: { path: string; message: string }[] };
}
