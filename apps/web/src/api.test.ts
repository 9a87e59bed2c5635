import { describe, expect, it } from 'vitest';
import { ApiError, errorText, isPendingChange } from './api.js';
import type { Translate } from './i18n/index.js';

// The catalogue key stands for the text (the catalogue itself is checked by the browser tests).
const t = ((key: string) => key) as unknown as Translate;

describe('errorText', () => {
  it('a 401 from signing in is wrong credentials; from any other call, the session ended', () => {
    expect(errorText(t, 'sv', new ApiError(401, 'unauthorized', 'Fel / Wrong', '/api/auth/login'))).toBe('errorWrongCredentials');
    expect(errorText(t, 'sv', new ApiError(401, 'unauthorized', 'Logga in / Sign in', '/api/documents/abc/shares'))).toBe('errorSignedOut');
    expect(errorText(t, 'en', new ApiError(401, 'unauthorized', 'Sign in first.', '/api/auth/password'))).toBe('errorSignedOut');
  });

  it('a change pending in a failing store says not to repeat it; other 503s say to try again', () => {
    const pending = new ApiError(503, 'change_pending', 'Väntar / Waiting', '/api/documents/abc');
    expect(errorText(t, 'sv', pending)).toBe('errorChangePending');
    expect(isPendingChange(pending)).toBe(true);
    expect(isPendingChange(new ApiError(503, 'store_unavailable', 'Försök igen / Try again', '/api/documents'))).toBe(false);
    expect(errorText(t, 'en', new ApiError(503, 'store_unavailable', 'Försök igen / Try again', '/api/documents'))).toBe('errorUnavailable');
  });
});
