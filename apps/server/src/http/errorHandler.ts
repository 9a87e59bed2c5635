import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { ErrorId } from '@samverkan/protocol';
import { CommandError } from '../commands/CommandError.js';
import { ChangePending } from '../commands/storedOrPending.js';
import { isStoreUnavailable } from '../store/ports.js';
import { UpdateRejected } from '../sync/boundedUpdate.js';
import { HttpError, httpErrors } from './errors.js';

/** `Retry-After` of a 503 when the store cannot answer for now. */
const STORE_RETRY_AFTER_SECONDS = 5;

/** 404 for unknown `/api` paths. */
export const apiNotFound: RequestHandler = (_request, _response, next) => {
  next(httpErrors.notFound('No such API endpoint.'));
};

/**
 * The path as it may be logged: the secret segment of a reset or invitation link is replaced
 * (`/api/password-resets/:token`), since an error while using such a link (the store failing)
 * would otherwise write a still-valid token into the log.
 */
export function loggablePath(path: string): string {
  return path.replace(/\/(password-resets|invitations|reset-password)\/[^/]+/g, '/$1/:token');
}

/** A request's path as logged: without the query, secrets replaced (see {@link loggablePath}). */
export const loggedPath = (originalUrl: string): string => loggablePath(originalUrl.split('?')[0] ?? '');

/** The one error middleware: every error leaves as `{error: {id, message}}` with its status. */
export function createErrorHandler(log: Logger): ErrorRequestHandler {
  return (error: unknown, request, response, next) => {
    if (response.headersSent) {
      next(error);
      return;
    }
    const clientStatus = clientErrorStatus(error);
    let httpError: HttpError;
    let fields: { path: string; message: string }[] | undefined;
    if (error instanceof HttpError) {
      httpError = error;
    } else if (error instanceof CommandError) {
      httpError = fromCommandError(error);
      if (error.retryAfterSeconds !== undefined) response.setHeader('Retry-After', String(error.retryAfterSeconds));
    } else if (error instanceof z.ZodError) {
      fields = error.issues.map((issue) => ({ path: issue.path.join('.') || 'body', message: issue.message }));
      httpError = httpErrors.validation(fields.map((field) => `${field.path}: ${field.message}`).join('; '));
    } else if (error instanceof ChangePending) {
      // The change is queued and will be stored: no Retry-After, the request must not be repeated.
      log.warn({ method: request.method, path: loggedPath(request.originalUrl) }, 'a change waits for the store; answered as pending');
      httpError = httpErrors.changePending();
    } else if (isStoreUnavailable(error)) {
      // The store cannot answer for now (busy past its timeout, a disk full or failing): the
      // request may be made again. Logged with the store's code only.
      log.error({ code: (error as { code?: unknown }).code, method: request.method, path: loggedPath(request.originalUrl) }, 'store unavailable');
      response.setHeader('Retry-After', String(STORE_RETRY_AFTER_SECONDS));
      httpError = httpErrors.storeUnavailable('Lagringen svarar inte just nu; försök igen om en stund. / The store is not answering right now; try again shortly.');
    } else if (error instanceof UpdateRejected && (error.reason === 'too_many_structs' || error.reason === 'too_many_deletions')) {
      // A change the server makes for a request (an import, an adoption) over the limits every
      // document update is held to: nothing was stored.
      httpError = httpErrors.payloadTooLarge('Ändringen är för stor för att sparas på en gång; dela upp den. / The change is too large to be stored at once; split it up.');
    } else if (isBodyParserError(error, 'entity.too.large')) {
      httpError = httpErrors.payloadTooLarge();
    } else if (isBodyParserError(error, 'entity.parse.failed')) {
      httpError = httpErrors.validation('The request body is not valid JSON.');
    } else if (clientStatus !== null) {
      // What express and body-parser refuse themselves (a malformed %-escape in the path, a body
      // in another charset or with a content encoding): the client's error, not the server's.
      const message =
        clientStatus === 415 ? 'The request body must be JSON in UTF-8, without a content encoding.' : error instanceof URIError ? 'The address is not valid.' : 'The request could not be read.';
      httpError = new HttpError(clientStatus, ErrorId.validation, message);
    } else {
      log.error({ err: error, method: request.method, path: loggedPath(request.originalUrl) }, 'request failed');
      httpError = httpErrors.internal();
    }
    response
      .status(httpError.status)
      .json({ error: { id: httpError.id, message: httpError.message, ...(fields ? { fields } : {}) } });
  };
}

function fromCommandError(error: CommandError): HttpError {
  switch (error.kind) {
    case 'validation':
      return httpErrors.validation(error.message);
    case 'unauthorized':
      return httpErrors.unauthorized(error.message);
    case 'forbidden':
      return httpErrors.forbidden(error.message);
    case 'not_found':
      return httpErrors.notFound(error.message);
    case 'conflict':
      return httpErrors.conflict(error.message);
    case 'rate_limited':
      return httpErrors.rateLimited(error.message);
  }
}

/** The 4xx status express or body-parser gave an error they raised, or null. */
function clientErrorStatus(error: unknown): number | null {
  if (typeof error !== 'object' || error === null) return null;
  const status = (error as { status?: unknown; statusCode?: unknown }).status ?? (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : null;
}

function isBodyParserError(error: unknown, type: string): boolean {
  return typeof error === 'object' && error !== null && (error as { type?: unknown }).type === type;
}
