import { afterEach, describe, expect, it } from 'vitest';
import { TEST_ADMIN, sessionCookieOf } from '../test/clients.js';
import { type TestServer, startTestServer } from '../test/testServer.js';

describe('account edges', () => {
  let server: TestServer | null = null;
  afterEach(async () => {
    await server?.stop();
    server = null;
  });

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server!.url}/api${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('setup, profile and password changes each write exactly one audit entry; the password change keeps only this session', async () => {
    server = await startTestServer();
    const entries = await server.store.audit.list(100);
    expect(entries.map((entry) => entry.action)).toEqual(['network.setup']);
    const other = sessionCookieOf(await post('/auth/login', TEST_ADMIN));
    const before = (await server.store.audit.list(100)).length;
    const profile = await fetch(`${server.url}/api/auth/me`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', cookie: server.cookie },
      body: JSON.stringify({ name: 'Åsa Admin', language: 'en' }),
    });
    expect(profile.status).toBe(200);
    expect(((await profile.json()) as { user: { language: string } }).user.language).toBe('en');
    const wrong = await post('/auth/password', { currentPassword: 'fel', newPassword: 'Ett-helt-nytt-lösenord' }, { cookie: server.cookie });
    expect(wrong.status).toBe(400);
    const changed = await post('/auth/password', { currentPassword: TEST_ADMIN.password, newPassword: 'Ett-helt-nytt-lösenord' }, { cookie: server.cookie });
    expect(changed.status).toBe(204);
    const after = await server.store.audit.list(100);
    expect(after.length - before).toBe(2);
    expect(after.slice(0, 2).map((entry) => entry.action)).toEqual(['user.password_change', 'user.update']);
    expect(JSON.stringify(after)).not.toContain('Ett-helt-nytt-lösenord');
    expect((await fetch(`${server.url}/api/auth/me`, { headers: { cookie: server.cookie } })).status).toBe(200);
    expect((await fetch(`${server.url}/api/auth/me`, { headers: { cookie: other } })).status).toBe(401);
  });

  it('limits failed sign-ins per IP (leniently, behind TRUST_PROXY by the forwarded address) with 429 and Retry-After', async () => {
    server = await startTestServer({ config: { loginAttemptsPerIp: 3, trustProxy: '1' } });
    const attempt = (ip: string, email: string) => post('/auth/login', { email, password: 'fel-lösenord' }, { 'x-forwarded-for': ip });
    for (let index = 0; index < 3; index++) expect((await attempt('10.1.1.1', `person${index}@kommun.se`)).status).toBe(401);
    const limited = await attempt('10.1.1.1', 'person9@kommun.se');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await limited.json()) as { error: { id: string } }).error.id).toBe('rate_limited');
    // Another address (another municipality) is not affected.
    expect((await attempt('10.2.2.2', 'person1@kommun.se')).status).toBe(401);
    // Successful sign-ins do not count.
    expect((await post('/auth/login', TEST_ADMIN, { 'x-forwarded-for': '10.3.3.3' })).status).toBe(200);
  });

  it('marks the session cookie Secure when PUBLIC_URL is https', async () => {
    server = await startTestServer({ config: { publicUrl: 'https://samverkan.example.se' } });
    const login = await post('/auth/login', TEST_ADMIN);
    expect(login.status).toBe(200);
    const cookie = login.headers.getSetCookie()[0]!;
    expect(cookie).toMatch(/; Secure/i);
    expect(cookie).toMatch(/HttpOnly/i);
  });
});
