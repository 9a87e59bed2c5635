import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRequest } from '../test/clients.js';
import { type TestServer, startTestServer } from '../test/testServer.js';

/**
 * An SMTP server that is reachable but broken: it accepts the connection and then answers every
 * greeting with "421 service not available" (a real TCP peer, as an outage looks to nodemailer).
 */
async function brokenSmtp(): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    socket.end('421 smtp.test tjänsten är nere / service not available\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

describe('e-mail that cannot be sent', () => {
  let server: TestServer;
  let smtp: { server: Server; port: number };

  beforeAll(async () => {
    smtp = await brokenSmtp();
    server = await startTestServer({ config: { smtpUrl: `smtp://127.0.0.1:${smtp.port}` } });
  });
  afterAll(async () => {
    await server.stop();
    smtp.server.close();
  });

  it('still issues the invitation and the reset link: they are returned with emailFailed, and they work', async () => {
    const api = (method: string, path: string, body?: unknown, cookie = server.cookie) => apiRequest(server.url, method, path, cookie, body);
    const organisation = await api('POST', '/organisations', { name: 'Älvsbyn' });
    const invitation = await api('POST', '/invitations', { email: 'klimat@alvsbyn.test', organisationId: organisation.body.id, role: 'coordinator' });
    expect(invitation.status).toBe(201);
    expect(invitation.body).toMatchObject({ emailed: false, emailFailed: true });
    expect(String(invitation.body.url)).toContain(String(invitation.body.token));
    const accepted = await api('POST', `/invitations/${String(invitation.body.token)}/accept`, { name: 'Klimat Älvsbyn', password: 'Midnattssol-över-Älvsbyn' }, '');
    expect(accepted.status).toBe(201);
    const userId = String((accepted.body.user as { id: string }).id);
    const reset = await api('POST', `/users/${userId}/reset-link`);
    expect(reset.status).toBe(201);
    expect(reset.body).toMatchObject({ emailed: false, emailFailed: true });
    expect(String(reset.body.url)).toContain('/reset-password/');
  });
});
