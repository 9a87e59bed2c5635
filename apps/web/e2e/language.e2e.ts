import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { type Locale, catalogues } from '../src/i18n/messages.js';
import { accessibilityViolations, textsOutsideCatalogue, useServerAndBrowser, VIEWPORT } from './harness.js';

interface Screen {
  name: string;
  path: string;
  /** Resolves when the screen shows its content in `locale`. */
  ready: (page: Page, locale: Locale) => Promise<void>;
  /** Something to do after loading (e.g. open the sharing dialog). */
  act?: (page: Page, locale: Locale) => Promise<void>;
}

const heading = (key: keyof typeof catalogues.sv, values: Record<string, string> = {}) => async (page: Page, locale: Locale) => {
  let text = catalogues[locale][key];
  for (const [name, value] of Object.entries(values)) text = text.replace(`{{${name}}}`, value);
  await page.getByRole('heading', { name: text, level: 1 }).waitFor();
};

/**
 * Every screen in English and in Swedish: each text node and accessible name outside user
 * content comes from that language's catalogue, and axe (all rules, nothing excluded) finds no
 * violation.
 */
describe('language and accessibility of every screen, in Swedish and English', () => {
  const running = useServerAndBrowser();
  let cookie = '';
  const ids = { plan: '', pilot: '', invitationToken: '', resetToken: '' };


  async function api(method: string, path: string, body?: unknown, withCookie = cookie): Promise<Record<string, unknown>> {
    const response = await fetch(`${running.server.url}/api${path}`, {
      method,
      headers: { 'content-type': 'application/json', cookie: withCookie },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    expect(response.status, `${method} ${path}`).toBeLessThan(300);
    return (await response.json()) as Record<string, unknown>;
  }

  async function check(page: Page, screen: string, locale: Locale): Promise<void> {
    expect(await textsOutsideCatalogue(page, catalogues[locale]), `${screen} (${locale}): texts outside the ${locale} catalogue`).toEqual([]);
    // The walk does see the interface: against the other language most of it is foreign.
    const other: Locale = locale === 'sv' ? 'en' : 'sv';
    expect((await textsOutsideCatalogue(page, catalogues[other])).length, `${screen} (${locale}) against ${other}`).toBeGreaterThan(0);
    expect(await accessibilityViolations(page), `${screen} (${locale}): axe`).toEqual([]);
  }

  async function visit(page: Page, screen: Screen, locale: Locale): Promise<void> {
    await page.goto(`${running.server.url}${screen.path}`);
    await screen.ready(page, locale);
    await screen.act?.(page, locale);
    await check(page, screen.name, locale);
  }

  it('signed out: setup, sign-in, invitation, password reset, accessibility statement', async () => {
    const page = await (await running.browser.newContext({ viewport: VIEWPORT })).newPage();
    await page.goto(running.server.url);
    await heading('setupHeading')(page, 'sv');
    await check(page, 'setup', 'sv');
    await page.getByRole('button', { name: 'In English' }).click();
    await heading('setupHeading')(page, 'en');
    await check(page, 'setup', 'en');
    // Set up in English: the administrator's language is English.
    await page.getByLabel('Name of the network').fill('Norrbotten energy network');
    await page.getByLabel('Your organisation').fill('Energy office North');
    await page.getByLabel('Your name').fill('Ann Admin');
    await page.getByLabel('E-mail address').fill('ann@energy.test');
    await page.getByLabel('Password (at least 12 characters)').fill('Icebreaker-in-Lulea-2026');
    await page.getByRole('button', { name: 'Create the network' }).click();
    await heading('homeHeading', { name: 'Ann Admin' })(page, 'en');
    const session = (await page.context().cookies()).find((entry) => entry.name === 'samverkan_session')!;
    cookie = `${session.name}=${session.value}`;

    // Data for the other screens, through the API.
    const kalix = await api('POST', '/organisations', { name: 'Kalix kommun', kind: 'municipality' });
    await api('POST', '/groups', { name: 'Transport group', kind: 'thematic', organisationIds: [kalix.id] });
    const plan = await api('POST', '/documents', { type: 'plan', title: 'Climate plan Kalix', visibility: 'network' });
    ids.plan = String(plan.id);
    await api('POST', `/documents/${ids.plan}/shares`, { organisationId: kalix.id, role: 'editor' });
    const csv = 'Titel;Sektor;Status;Agenda 2030\nCycle lanes to schools;Transporter;pågående;11';
    await api('POST', `/documents/${ids.plan}/import/confirm`, { format: 'csv', content: Buffer.from(csv).toString('base64') });
    ids.pilot = String((await api('POST', '/documents', { type: 'pilot', title: 'E-bikes in home care', visibility: 'network' })).id);
    const invited = await api('POST', '/invitations', { email: 'karl@kalix.test', organisationId: kalix.id, role: 'coordinator' });
    const accepted = await fetch(`${running.server.url}/api/invitations/${String(invited.token)}/accept`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Karl Karlsson', password: 'Kalixlöjrom-är-gott' }),
    });
    const karl = ((await accepted.json()) as { user: { id: string } }).user;
    ids.invitationToken = String((await api('POST', '/invitations', { email: 'kim@kalix.test', organisationId: kalix.id, role: 'coordinator' })).token);
    ids.resetToken = String((await api('POST', `/users/${karl.id}/reset-link`, {})).token);
    expect(ids.resetToken.length).toBeGreaterThan(10);

    const signedOut: Screen[] = [
      { name: 'sign-in', path: '/', ready: heading('signIn') },
      { name: 'invitation', path: `/invitations/${ids.invitationToken}`, ready: heading('invitationHeading') },
      { name: 'reset-password', path: `/reset-password/${ids.resetToken}`, ready: heading('resetHeading') },
      { name: 'accessibility-statement', path: '/accessibility', ready: heading('accessibilityStatement') },
    ];
    const anonymous = await (await running.browser.newContext({ viewport: VIEWPORT })).newPage();
    for (const screen of signedOut) {
      await visit(anonymous, screen, 'sv');
      await anonymous.getByRole('button', { name: 'In English' }).click();
      await screen.ready(anonymous, 'en');
      await check(anonymous, screen.name, 'en');
    }
    await anonymous.context().close();
    await page.context().close();
  });

  it('signed in: home, documents, a document with the sharing dialog, administration, profile, no access, not found', async () => {
    const context = await running.browser.newContext({ viewport: VIEWPORT });
    const [name, value] = cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: running.server.url }]);
    const page = await context.newPage();
    const screens: Screen[] = [
      { name: 'home', path: '/', ready: async (current, locale) => {
        await heading('homeHeading', { name: 'Ann Admin' })(current, locale);
        await current.getByRole('link', { name: 'Climate plan Kalix' }).waitFor();
      } },
      {
        name: 'documents',
        path: '/documents?type=plan',
        ready: async (current, locale) => {
          await heading('documents')(current, locale);
          await current.locator('.document-list').getByRole('link', { name: 'Climate plan Kalix' }).waitFor();
        },
        act: async (current, locale) => {
          await current.getByRole('searchbox').fill('Climate');
          await current.getByRole('button', { name: catalogues[locale].searchButton, exact: true }).click();
          await current.locator('.search-results').waitFor();
        },
      },
      {
        name: 'document with sharing dialog',
        path: `/documents/${ids.plan}`,
        ready: async (current, locale) => {
          await current.getByRole('heading', { name: 'Climate plan Kalix', level: 1 }).waitFor();
          await current.getByRole('status').filter({ hasText: catalogues[locale].saved }).waitFor();
        },
        act: async (current, locale) => {
          await current.getByRole('button', { name: catalogues[locale].share, exact: true }).click();
          await current.getByRole('dialog').getByText('Kalix kommun').first().waitFor();
        },
      },
      {
        name: 'plan with a measure open',
        path: `/documents/${ids.plan}`,
        ready: async (current) => {
          await current.getByRole('button', { name: 'Cycle lanes to schools', exact: true }).waitFor();
        },
        act: async (current) => {
          await current.getByRole('button', { name: 'Cycle lanes to schools', exact: true }).click();
          await current.locator('#measure-detail').waitFor();
        },
      },
      {
        name: 'pilot log',
        path: `/documents/${ids.pilot}`,
        ready: async (current, locale) => {
          await current.getByRole('heading', { name: 'E-bikes in home care', level: 1 }).waitFor();
          await current.getByRole('status').filter({ hasText: catalogues[locale].saved }).waitFor();
        },
        act: async (current, locale) => {
          await current.getByRole('button', { name: catalogues[locale].addLogEntry }).click();
          await current.locator('.log-entry').first().waitFor();
        },
      },
      { name: 'administration', path: '/admin', ready: async (current, locale) => {
        await heading('adminHeading')(current, locale);
        await current.getByRole('cell', { name: 'Karl Karlsson', exact: true }).waitFor();
        await current.getByText('kim@kalix.test').waitFor();
      } },
      { name: 'profile', path: '/profile', ready: heading('profileHeading') },
      { name: 'overview', path: '/overview', ready: heading('overviewHeading') },
      { name: 'accessibility statement', path: '/accessibility', ready: heading('accessibilityStatement') },
      { name: 'no access', path: '/documents/no-such-document', ready: heading('noAccessHeading') },
      { name: 'not found', path: '/no/such/page', ready: heading('pageNotFound') },
    ];
    for (const screen of screens) await visit(page, screen, 'en');
    // Back to Swedish (saved for the user), and every screen again.
    await page.goto(running.server.url);
    await page.getByRole('button', { name: 'På svenska' }).click();
    await heading('homeHeading', { name: 'Ann Admin' })(page, 'sv');
    for (const screen of screens) await visit(page, screen, 'sv');
    await context.close();
  });

  it('the header switch on the profile page, then saving the profile, keeps the language just chosen', async () => {
    const context = await running.browser.newContext({ viewport: VIEWPORT });
    const [name, value] = cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: running.server.url }]);
    const page = await context.newPage();
    await page.goto(`${running.server.url}/profile`);
    await heading('profileHeading')(page, 'sv');
    await page.getByRole('button', { name: 'In English' }).click();
    await heading('profileHeading')(page, 'en');
    await page.getByLabel('Name', { exact: true }).fill('Ann Admin');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Your profile is saved.').waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    const me = await fetch(`${running.server.url}/api/auth/me`, { headers: { cookie } }).then((response) => response.json() as Promise<{ user: { language: string } }>);
    expect(me.user.language).toBe('en');
    // Back to Swedish for the other tests.
    await page.getByRole('button', { name: 'På svenska' }).click();
    await heading('profileHeading')(page, 'sv');
    await expect.poll(async () => (await fetch(`${running.server.url}/api/auth/me`, { headers: { cookie } }).then((response) => response.json() as Promise<{ user: { language: string } }>)).user.language).toBe('sv');
    await context.close();
  });
});
