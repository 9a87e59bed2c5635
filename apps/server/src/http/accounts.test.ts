import { CloseCode, ErrorId } from '@samverkan/protocol';
import { io as socketIo } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusEvent } from '../bus/EventBus.js';
import { TEST_ADMIN, rawClient, sessionCookieOf } from '../test/clients.js';
import { type TestServer, startTestServer } from '../test/testServer.js';

interface Json {
  [key: string]: unknown;
}

describe('network, organisations and accounts', () => {
  let server: TestServer;
  let admin: string;
  let kommunId: string;
  const events: BusEvent[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    admin = server.cookie;
    server.bus.subscribe((event) => events.push(event));
  });
  afterAll(async () => {
    await server.stop();
  });

  async function call(method: string, path: string, body?: unknown, cookie?: string, headers: Record<string, string> = {}) {
    const response = await fetch(`${server.url}/api${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}), ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as Json, response };
  }

  async function auditCount(): Promise<number> {
    return (await server.store.audit.list(10_000)).length;
  }

  /** Runs `action` and checks it wrote exactly one audit entry, with ids only. */
  async function expectOneAudit<T>(action: string, run: () => Promise<T>, secrets: string[] = []): Promise<T> {
    const before = await auditCount();
    const result = await run();
    const entries = await server.store.audit.list(10_000);
    expect(entries.length - before).toBe(1);
    const entry = entries[0]!;
    expect(entry.action).toBe(action);
    expect(Object.keys(entry).sort()).toEqual(['action', 'actorId', 'at', 'targetId']);
    const serialised = JSON.stringify(entry);
    for (const secret of secrets) expect(serialised).not.toContain(secret);
    return result;
  }

  async function invite(email: string, role = 'coordinator', organisationId = kommunId) {
    return call('POST', '/invitations', { email, organisationId, role }, admin);
  }

  async function join(email: string, password = 'Midnattssol-över-Kiruna') {
    const invitation = await invite(email);
    expect(invitation.status).toBe(201);
    const accepted = await call('POST', `/invitations/${String(invitation.body.token)}/accept`, { name: email.split('@')[0], password });
    expect(accepted.status).toBe(201);
    return { cookie: sessionCookieOf(accepted.response), user: accepted.body.user as Json, password };
  }

  it('setup happens once: 409 afterwards, and the admin is signed in', async () => {
    const again = await call('POST', '/setup', {
      networkName: 'Annat nätverk',
      organisationName: 'Annan',
      name: 'Inkräktare',
      email: 'x@example.se',
      password: 'ett-mycket-långt-lösenord',
    });
    expect(again.status).toBe(409);
    expect((again.body.error as Json).id).toBe(ErrorId.conflict);
    expect((await call('GET', '/setup')).body).toEqual({ needed: false });
    const me = await call('GET', '/auth/me', undefined, admin);
    expect(me.status).toBe(200);
    expect((me.body.user as Json).role).toBe('admin');
    expect((me.body.network as Json).name).toBe('Norrbottens energinätverk');
  });

  it('admins create organisations (one audit entry); others may not', async () => {
    const created = await expectOneAudit('organisation.create', () => call('POST', '/organisations', { name: 'Luleå kommun' }, admin));
    expect(created.status).toBe(201);
    kommunId = String(created.body.id);
    expect((await call('POST', '/organisations', { name: 'luleå KOMMUN' }, admin)).status).toBe(409);
    expect((await call('POST', '/organisations', { name: 'Utan session' })).status).toBe(401);
  });

  it('an invitation is single use, expires, and its answer includes the url', async () => {
    const invitation = await expectOneAudit('invitation.create', () => invite('anna@lulea.test'));
    expect(invitation.status).toBe(201);
    const token = String(invitation.body.token);
    expect(invitation.body.url).toBe(`http://localhost:3000/invitations/${token}`);
    expect(invitation.body.emailed).toBe(false);
    expect((await call('GET', `/invitations/${token}`)).body).toMatchObject({ status: 'open', email: 'anna@lulea.test' });
    const weak = await call('POST', `/invitations/${token}/accept`, { name: 'Anna', password: 'kort' });
    expect(weak.status).toBe(400);
    const common = await call('POST', `/invitations/${token}/accept`, { name: 'Anna', password: 'lösenord1234' });
    expect(common.status).toBe(400);
    const accepted = await expectOneAudit(
      'invitation.accept',
      () => call('POST', `/invitations/${token}/accept`, { name: 'Anna Andersson', password: 'Tåget-till-Narvik-går-kl-7' }),
      ['Tåget-till-Narvik-går-kl-7', token],
    );
    expect(accepted.status).toBe(201);
    expect((accepted.body.user as Json).role).toBe('coordinator');
    const reused = await call('POST', `/invitations/${token}/accept`, { name: 'Någon annan', password: 'Tåget-till-Narvik-går-kl-8' });
    expect(reused.status).toBe(409);

    // Expired: an invitation whose expiry has passed is refused.
    const expiring = await invite('sen@lulea.test');
    const expiringToken = String(expiring.body.token);
    const { hashToken } = await import('../access/tokens.js');
    const record = await server.store.accounts.findInvitation(hashToken(expiringToken));
    await server.store.accounts.createInvitation({
      ...record!,
      tokenHash: hashToken(`${expiringToken}x`),
      expiresAt: new Date(Date.now() - 1000).toISOString(),
    });
    const late = await call('POST', `/invitations/${expiringToken}x/accept`, { name: 'Sen', password: 'Tåget-till-Narvik-går-kl-9' });
    expect(late.status).toBe(409);
    expect(String((late.body.error as Json).message)).toContain('gått ut');
    expect((await call('POST', '/invitations/aaaaaaaaaaaaaaaaaaaaaaaaaaaa/accept', { name: 'X', password: 'Tåget-till-Narvik-går-kl-9' })).status).toBe(404);
  });

  it('login: wrong password is refused, per-account backoff answers 429 with Retry-After and no hint whether the account exists', async () => {
    const { password } = await join('bertil@lulea.test');
    const messages = new Set<unknown>();
    for (let attempt = 0; attempt < 5; attempt++) {
      const wrong = await call('POST', '/auth/login', { email: 'bertil@lulea.test', password: 'fel-lösenord-igen' });
      expect(wrong.status).toBe(401);
      messages.add((wrong.body.error as Json).message);
    }
    const limited = await call('POST', '/auth/login', { email: 'bertil@lulea.test', password });
    expect(limited.status).toBe(429);
    expect(Number(limited.response.headers.get('retry-after'))).toBeGreaterThan(0);
    // An unknown account is throttled the same way and answers with the same words.
    for (let attempt = 0; attempt < 5; attempt++) {
      const unknown = await call('POST', '/auth/login', { email: 'finns-inte@lulea.test', password: 'fel-lösenord-igen' });
      expect(unknown.status).toBe(401);
      messages.add((unknown.body.error as Json).message);
    }
    expect(messages.size).toBe(1);
    const unknownLimited = await call('POST', '/auth/login', { email: 'finns-inte@lulea.test', password: 'fel-lösenord-igen' });
    expect(unknownLimited.status).toBe(429);
    expect((unknownLimited.body.error as Json).message).toBe((limited.body.error as Json).message);
  });

  it('login: guesses sent in parallel are throttled like guesses one after another', async () => {
    await join('gunnel@lulea.test');
    const answers = await Promise.all(
      Array.from({ length: 30 }, () => call('POST', '/auth/login', { email: 'gunnel@lulea.test', password: 'fel-lösenord-parallellt' })),
    );
    const statuses = answers.map((answer) => answer.status);
    // Five free failures, then backoff: the rest are refused before their password is checked.
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(6);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(24);
  });

  it('login changes the session id; logout ends the session server-side (the old cookie is refused)', async () => {
    const { cookie: first, password } = await join('david@lulea.test');
    const login = await expectOneAudit('auth.login', () =>
      call('POST', '/auth/login', { email: 'david@lulea.test', password }, first),
    );
    expect(login.status).toBe(200);
    const second = sessionCookieOf(login.response);
    expect(second).not.toBe(first);
    expect((await call('GET', '/auth/me', undefined, first)).status).toBe(401); // the old session ended at sign-in
    expect((await call('GET', '/auth/me', undefined, second)).status).toBe(200);
    const cookieHeader = login.response.headers.getSetCookie()[0]!;
    expect(cookieHeader).toMatch(/HttpOnly/i);
    expect(cookieHeader).toMatch(/SameSite=Lax/i);
    expect(cookieHeader).not.toMatch(/Secure/i); // PUBLIC_URL is http in tests
    const logout = await expectOneAudit('auth.logout', () => call('POST', '/auth/logout', undefined, second));
    expect(logout.status).toBe(204);
    expect((await call('GET', '/auth/me', undefined, second)).status).toBe(401);
    expect((await call('POST', '/documents', { type: 'plan', title: 'x' }, second)).status).toBe(401);
    expect(events).toContainEqual(expect.objectContaining({ type: 'session.ended' }));
  });

  it('a reset link is single use and ends existing sessions', async () => {
    const { cookie, user } = await join('erik@lulea.test');
    const link = await expectOneAudit('password_reset.issue', () => call('POST', `/users/${String(user.id)}/reset-link`, undefined, admin));
    expect(link.status).toBe(201);
    const token = String(link.body.token);
    expect(link.body.url).toBe(`http://localhost:3000/reset-password/${token}`);
    expect((await call('POST', `/users/${String(user.id)}/reset-link`, undefined, cookie)).status).toBe(403);
    const used = await expectOneAudit('password_reset.use', () => call('POST', `/password-resets/${token}`, { password: 'Norrsken-i-januari-2027' }), [
      'Norrsken-i-januari-2027',
    ]);
    expect(used.status).toBe(204);
    expect((await call('POST', `/password-resets/${token}`, { password: 'Norrsken-i-februari-2027' })).status).toBe(404);
    expect((await call('GET', '/auth/me', undefined, cookie)).status).toBe(401);
    expect((await call('POST', '/auth/login', { email: 'erik@lulea.test', password: 'Norrsken-i-januari-2027' })).status).toBe(200);
  });

  it('a deactivated user cannot sign in, loses their sessions, and the event is published', async () => {
    const { cookie, user, password } = await join('frida@lulea.test');
    const done = await expectOneAudit('user.deactivate', () => call('POST', `/users/${String(user.id)}/deactivate`, undefined, admin));
    expect(done.status).toBe(204);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(events).toContainEqual({ type: 'user.deactivated', userId: user.id });
    expect((await call('GET', '/auth/me', undefined, cookie)).status).toBe(401);
    expect((await call('POST', '/auth/login', { email: 'frida@lulea.test', password })).status).toBe(401);
    expect((await call('POST', `/users/${String(user.id)}/deactivate`, undefined, admin)).status).toBe(409);
  });

  it('a mutating request with a foreign Origin and a valid cookie is refused; a client without Origin signs in and creates a document', async () => {
    const foreign = await call('POST', '/documents', { type: 'plan', title: 'CSRF' }, admin, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect((foreign.body.error as Json).id).toBe(ErrorId.originRefused);
    const login = await call('POST', '/auth/login', TEST_ADMIN);
    expect(login.status).toBe(200);
    const cookie = sessionCookieOf(login.response);
    const created = await expectOneAudit('document.create', () => call('POST', '/documents', { type: 'pilot', title: 'Laddstolpar' }, cookie));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ type: 'pilot', title: 'Laddstolpar' });
  });

  it('hostile bodies get 400/413 JSON errors, change nothing, and Object.prototype stays clean', async () => {
    const usersBefore = await server.store.accounts.countUsers();
    const auditBefore = await auditCount();
    const hostile: unknown[] = [
      { email: { $ne: null }, password: { $ne: null } },
      { email: 'admin@energikontor.test', password: { $gt: '' } },
      '{"email":"admin@energikontor.test","password":"x","__proto__":{"polluted":true}}',
      '{"constructor":{"prototype":{"polluted":true}},"email":"a@b.se","password":"x"}',
      { email: 42, password: ['x'] },
      [],
      'null',
    ];
    for (const body of hostile) {
      const result = await call('POST', '/auth/login', body);
      expect(result.status).toBe(400);
      expect((result.body.error as Json).id).toBe(ErrorId.validation);
    }
    const invitation = await call('POST', '/invitations', { email: { $ne: null }, organisationId: { $ne: null }, role: 'admin' }, admin);
    expect(invitation.status).toBe(400);
    expect(Array.isArray((invitation.body.error as Json).fields)).toBe(true);
    const huge = await call('POST', '/auth/login', JSON.stringify({ email: 'a@b.se', password: 'x'.repeat(5 * 1024 * 1024) }));
    expect(huge.status).toBe(413);
    expect((huge.body.error as Json).id).toBe(ErrorId.payloadTooLarge);
    expect(({} as Json).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(await server.store.accounts.countUsers()).toBe(usersBefore);
    expect(await auditCount()).toBe(auditBefore);
  });

  it('groups of organisations, with a guest organisation whose users are guests', async () => {
    const guestOrg = await call('POST', '/organisations', { name: 'Umeå kommun', kind: 'guest' }, admin);
    const group = await expectOneAudit('group.create', () =>
      call('POST', '/groups', { name: 'Transport', kind: 'thematic', organisationIds: [kommunId, String(guestOrg.body.id)] }, admin),
    );
    expect(group.status).toBe(201);
    expect((await call('POST', '/groups', { name: 'Fel', kind: 'thematic', organisationIds: ['nope'] }, admin)).status).toBe(400);
    const renamed = await expectOneAudit('group.update', () => call('PATCH', `/groups/${String(group.body.id)}`, { name: 'Transport och mobilitet' }, admin));
    expect(renamed.body).toMatchObject({ name: 'Transport och mobilitet' });
    const guestInvite = await invite('gast@umea.test', 'coordinator', String(guestOrg.body.id));
    expect(guestInvite.body.role).toBe('guest');
  });

  it('the Yjs socket and socket.io refuse a caller without a session', async () => {
    const { id } = await server.createDocument('Kräver inloggning');
    const anonymous = rawClient(`${server.wsUrl}/${id}`);
    await anonymous.open;
    expect((await anonymous.closed).code).toBe(CloseCode.unauthorized);
    expect(anonymous.received).toEqual([]);
    const socket = socketIo(server.url, { transports: ['websocket'], forceNew: true, reconnection: false });
    const refused = await new Promise<string>((resolve) => socket.once('connect_error', (error) => resolve(error.message)));
    expect(refused).toBe('unauthorized');
    socket.close();
  });
});
