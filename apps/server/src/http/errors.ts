import { ErrorId, type ErrorIdValue } from '@samverkan/protocol';

/** An error with an HTTP status and a stable id; rendered as `{error: {id, message}}`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly id: ErrorIdValue,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** The catalogue of REST errors. */
export const httpErrors = {
  validation: (message: string) => new HttpError(400, ErrorId.validation, message),
  unauthorized: (message = 'Sign in first.') => new HttpError(401, ErrorId.unauthorized, message),
  forbidden: (message = 'You may not do this.') => new HttpError(403, ErrorId.forbidden, message),
  notFound: (message = 'Not found.') => new HttpError(404, ErrorId.notFound, message),
  conflict: (message: string) => new HttpError(409, ErrorId.conflict, message),
  payloadTooLarge: (message = 'The request body is too large.') => new HttpError(413, ErrorId.payloadTooLarge, message),
  rateLimited: (message = 'Too many requests; try again shortly.') => new HttpError(429, ErrorId.rateLimited, message),
  originRefused: () => new HttpError(403, ErrorId.originRefused, 'Requests from this origin are not allowed.'),
  storeUnavailable: (message = 'The store is unavailable; try again shortly.') =>
    new HttpError(503, ErrorId.storeUnavailable, message),
  changePending: () =>
    new HttpError(
      503,
      ErrorId.changePending,
      'Lagringen svarar inte just nu. Ändringen sparas automatiskt när lagringen svarar igen; gör inte om den. / Storage is not answering right now. The change will be saved automatically once it answers again; do not repeat it.',
    ),
  internal: () => new HttpError(500, ErrorId.internal, 'Something went wrong on the server.'),
};
