import argon2 from 'argon2';
import { commonPasswords } from './commonPasswords.js';

/** Shortest password accepted (no composition rules: length is what matters). */
export const MIN_PASSWORD_LENGTH = 12;
/** Longest password accepted (bounds the hashing work per request). */
export const MAX_PASSWORD_LENGTH = 256;

/**
 * argon2id with the OWASP-recommended minimum (19 MiB, 2 passes, 1 lane): strong enough
 * offline, cheap enough that a burst of logins does not stall the server.
 */
const hashOptions = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, hashOptions);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | null = null;

/**
 * Spends the same work as a real verification, for logins with an unknown e-mail, so response
 * times do not reveal which accounts exist.
 */
export async function verifyAgainstNothing(password: string): Promise<false> {
  dummyHash ??= hashPassword('samverkan-timing-equaliser');
  await verifyPassword(await dummyHash, password);
  return false;
}

/** Why a password is refused, or null when it is fine. */
export type PasswordProblem = 'too_short' | 'too_long' | 'too_common';

export function passwordProblem(password: string, context: { email?: string; name?: string } = {}): PasswordProblem | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) return 'too_short';
  if (password.length > MAX_PASSWORD_LENGTH) return 'too_long';
  const lowered = password.toLowerCase();
  if (commonPasswords.has(lowered)) return 'too_common';
  if (new Set(lowered).size <= 2) return 'too_common';
  const email = context.email?.toLowerCase();
  if (email && (lowered === email || lowered === email.split('@')[0])) return 'too_common';
  if (context.name && lowered === context.name.toLowerCase()) return 'too_common';
  return null;
}

/** User-facing explanation (Swedish first, English after). */
export function describePasswordProblem(problem: PasswordProblem): string {
  switch (problem) {
    case 'too_short':
      return `Lösenordet måste ha minst ${MIN_PASSWORD_LENGTH} tecken. / The password must have at least ${MIN_PASSWORD_LENGTH} characters.`;
    case 'too_long':
      return `Lösenordet får ha högst ${MAX_PASSWORD_LENGTH} tecken. / The password may have at most ${MAX_PASSWORD_LENGTH} characters.`;
    case 'too_common':
      return 'Lösenordet är för vanligt eller lätt att gissa – välj en längre fras. / The password is too common or easy to guess – choose a longer phrase.';
  }
}
