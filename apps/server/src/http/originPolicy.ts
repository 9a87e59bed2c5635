import type { IncomingHttpHeaders } from 'node:http';
import type { RequestHandler } from 'express';
import { httpErrors } from './errors.js';

/**
 * The allowlist of browser origins: `PUBLIC_URL` plus `ALLOWED_ORIGINS`. Requests without an
 * `Origin` header come from non-browser clients and pass (they authenticate normally).
 */
export class OriginPolicy {
  private readonly allowed: Set<string>;

  constructor(publicUrl: string, allowedOrigins: readonly string[]) {
    this.allowed = new Set([new URL(publicUrl).origin, ...allowedOrigins]);
  }

  /** True if the request carries no Origin or an allowed one. */
  allows(headers: IncomingHttpHeaders): boolean {
    const origin = headers.origin;
    if (origin === undefined) return true;
    return this.allowed.has(origin);
  }

  /** Express middleware refusing mutating requests from other origins (the CSRF protection). */
  guardMutations(): RequestHandler {
    return (request, _response, next) => {
      const safe = request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS';
      next(safe || this.allows(request.headers) ? undefined : httpErrors.originRefused());
    };
  }
}
