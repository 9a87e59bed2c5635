import pino, { type Logger } from 'pino';

/**
 * Structured JSON logs. Never log document content, cookies, tokens or passwords: the
 * redaction below is a safety net, not a licence.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'samverkan' },
    redact: {
      paths: ['req.headers.cookie', 'req.headers.authorization', 'headers.cookie', 'password', 'token', '*.password', '*.token'],
      censor: '[redacted]',
    },
  });
}
