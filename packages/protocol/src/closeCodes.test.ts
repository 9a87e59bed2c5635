import { describe, expect, it } from 'vitest';
import { CloseCode, isTerminalCloseCode } from './closeCodes.js';
import { createDocumentRequestSchema } from './api.js';

describe('close codes', () => {
  it('treats only 44xx as terminal', () => {
    expect(isTerminalCloseCode(CloseCode.notFound)).toBe(true);
    expect(isTerminalCloseCode(CloseCode.unauthorized)).toBe(true);
    expect(isTerminalCloseCode(CloseCode.goingAway)).toBe(false);
    expect(isTerminalCloseCode(CloseCode.tryAgainLater)).toBe(false);
  });
});

describe('createDocumentRequestSchema', () => {
  it('accepts the contract fields and rejects unknown ones', () => {
    expect(createDocumentRequestSchema.safeParse({ type: 'plan', title: 'Klimatplan' }).success).toBe(true);
    expect(createDocumentRequestSchema.safeParse({ type: 'plan', title: 'x', visibility: 'group:g1' }).success).toBe(true);
    expect(createDocumentRequestSchema.safeParse({ type: 'memo', title: 'x' }).success).toBe(false);
    expect(createDocumentRequestSchema.safeParse({ type: 'plan', title: '   ' }).success).toBe(false);
    expect(createDocumentRequestSchema.safeParse({ type: 'plan', title: 'x', owner: 'y' }).success).toBe(false);
  });
});
