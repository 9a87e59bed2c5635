/** Why a command refused; the HTTP layer maps each kind to a status (see http/errorHandler.ts). */
export type CommandErrorKind = 'validation' | 'unauthorized' | 'forbidden' | 'not_found' | 'conflict' | 'rate_limited';

/** A refusal with a user-facing message (Swedish / English) and no secrets. */
export class CommandError extends Error {
  constructor(
    readonly kind: CommandErrorKind,
    message: string,
    /** For `rate_limited`: seconds until a retry may succeed. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'CommandError';
  }
}
