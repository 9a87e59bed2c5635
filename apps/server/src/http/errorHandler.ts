import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { HttpError, httpErrors } from './errors.js';

/** 404 for unknown `/api` paths. */
export const apiNotFound: RequestHandler = (_request, _response, next) => {
  next(httpErrors.notFound('No such API endpoint.'));
};

/** The one error middleware: every error leaves as `{error: {id, message}}` with its status. */
export function createErrorHandler(log: Logger): ErrorRequestHandler {
  return (error: unknown, request, response, next) => {
    if (response.headersSent) {
      next(error);
      return;
    }
    let httpError: HttpError;
    if (error instanceof HttpError) {
      httpError = error;
    } else if (error instanceof z.ZodError) {
      const first = error.issues[0];
      httpError = httpErrors.validation(first ? `${first.path.join('.') || 'body'}: ${first.message}` : 'Invalid input.');
    } else if (isBodyParserError(error, 'entity.too.large')) {
      httpError = httpErrors.payloadTooLarge();
    } else if (isBodyParserError(error, 'entity.parse.failed')) {
      httpError = httpErrors.validation('The request body is not valid JSON.');
    } else {
      log.error({ err: error, method: request.method, path: request.path }, 'request failed');
      httpError = httpErrors.internal();
    }
    response.status(httpError.status).json({ error: { id: httpError.id, message: httpError.message } });
  };
}

function isBodyParserError(error: unknown, type: string): boolean {
  return typeof error === 'object' && error !== null && (error as { type?: unknown }).type === type;
}
