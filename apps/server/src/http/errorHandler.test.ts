import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express from 'express';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpdateRejected } from '../sync/boundedUpdate.js';
import { createErrorHandler, loggablePath } from './errorHandler.js';

describe('error handler', () => {
  const lines: string[] = [];
  let url = '';
  let close: () => Promise<void> = async () => undefined;

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(chunk.toString());
        callback();
      },
    });
    const app = express();
    // A link's route failing unexpectedly (the store is down while the token is being used).
    app.post('/api/password-resets/:token', () => {
      throw new Error('store unavailable');
    });
    app.get('/api/invitations/:token', () => {
      throw new Error('store unavailable');
    });
    // A change the server makes for a request, refused by the update limits (an import too large).
    app.post('/api/too-large', () => {
      throw new UpdateRejected('too_many_structs');
    });
    app.post('/api/malformed', () => {
      throw new UpdateRejected('malformed');
    });
    app.use(createErrorHandler(pino({ level: 'error' }, sink)));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => new Promise((resolve) => server.close(() => resolve()));
  });
  afterAll(() => close());

  it('answers 500 with {error} and logs the failure without the link’s secret', async () => {
    const token = 'hemlig-token-som-fortfarande-galler-1234567890';
    const reset = await fetch(`${url}/api/password-resets/${token}?lang=sv`, { method: 'POST' });
    expect(reset.status).toBe(500);
    expect(((await reset.json()) as { error: { id: string } }).error.id).toBeTruthy();
    const invitation = await fetch(`${url}/api/invitations/${token}`);
    expect(invitation.status).toBe(500);
    await invitation.arrayBuffer();
    const logged = lines.map((line) => JSON.parse(line) as { msg: string; path: string });
    expect(logged.map((entry) => entry.path)).toEqual(['/api/password-resets/:token', '/api/invitations/:token']);
    expect(lines.join('\n')).not.toContain(token);
  });

  it('answers 413 when a server change is over the update limits; any other refused update is the server’s own fault (500)', async () => {
    const tooLarge = await fetch(`${url}/api/too-large`, { method: 'POST' });
    expect(tooLarge.status).toBe(413);
    const body = (await tooLarge.json()) as { error: { id: string; message: string } };
    expect(body.error.id).toBe('payload_too_large');
    expect(body.error.message).toContain('too large to be stored at once');
    const malformed = await fetch(`${url}/api/malformed`, { method: 'POST' });
    expect(malformed.status).toBe(500);
    await malformed.arrayBuffer();
  });

  it('keeps the paths that hold no secret', () => {
    expect(loggablePath('/api/documents/abc/shares')).toBe('/api/documents/abc/shares');
    expect(loggablePath('/api/invitations')).toBe('/api/invitations');
    expect(loggablePath('/api/invitations/abc/accept')).toBe('/api/invitations/:token/accept');
  });
});
