import type { RequestHandler, Response } from 'express';
import { SESSION_COOKIE, type Actor, type Sessions } from '../access/Sessions.js';
import { hashToken } from '../access/tokens.js';
import { httpErrors } from './errors.js';

/** Cookie attributes of the session cookie. */
export interface CookiePolicy {
  /** Secure when `PUBLIC_URL` is https. */
  secure: boolean;
  /** Absolute session lifetime (the cookie's Max-Age). */
  maxAgeMs: number;
}

/** Resolves the session cookie (if any) into `res.locals.actor`; never refuses by itself. */
export function sessionLoader(sessions: Sessions): RequestHandler {
  return (request, response, next) => {
    const cookieValue = readSessionCookie(request.headers.cookie);
    response.locals.cookieValue = cookieValue;
    sessions
      .resolve(cookieValue)
      .then((actor) => {
        response.locals.actor = actor;
        next();
      })
      .catch(next);
  };
}

function readSessionCookie(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === SESSION_COOKIE) {
      const value = rest.join('=');
      return /^[A-Za-z0-9_-]{20,100}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}

/** The signed-in caller, or 401. */
export function requireActor(response: Response): Actor {
  const actor = response.locals.actor as Actor | null | undefined;
  if (!actor) throw httpErrors.unauthorized('Logga in först. / Sign in first.');
  return actor;
}

/** A signed-in admin, or 401/403. */
export function requireAdmin(response: Response): Actor {
  const actor = requireActor(response);
  if (actor.user.role !== 'admin') throw httpErrors.forbidden('Endast administratörer. / Administrators only.');
  return actor;
}

/** The hash of the session cookie the request carried (valid or not), to end it on sign-in. */
export function presentedSessionHash(response: Response): string | undefined {
  const value = response.locals.cookieValue as string | undefined;
  return value ? hashToken(value) : undefined;
}

export function setSessionCookie(response: Response, cookieValue: string, policy: CookiePolicy): void {
  response.cookie(SESSION_COOKIE, cookieValue, {
    httpOnly: true,
    sameSite: 'lax',
    secure: policy.secure,
    path: '/',
    maxAge: policy.maxAgeMs,
  });
}

export function clearSessionCookie(response: Response, policy: CookiePolicy): void {
  response.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure: policy.secure, path: '/' });
}
