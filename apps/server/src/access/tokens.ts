import { createHash, randomBytes } from 'node:crypto';

/** A new secret token (256 random bits, URL-safe). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** A new id for records (96 random bits, URL-safe). */
export function newId(): string {
  return randomBytes(12).toString('base64url');
}

/** What the store keeps of a token: its SHA-256, so a leaked database reveals no usable token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Normalises an e-mail address for storage and lookup. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
