import { describe, expect, it } from 'vitest';
import { accessibilityViolations, richTextOf, screenshot, signIn, useServerAndBrowser } from './harness.js';

describe('first run, documents and live editing in Chromium', () => {
  const running = useServerAndBrowser();


  it('sets up the network by keyboard, creates a plan, co-edits it live and shows Saved; every page passes axe', async () => {
    const context = await running.browser.newContext({ locale: 'sv-SE' });
    const page = await context.newPage();
    await page.goto(running.server.url);
    await page.getByRole('heading', { name: 'Kom igång' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'setup');

    await page.getByLabel('Nätverkets namn').fill('Norrbottens energinätverk');
    await page.getByLabel('Din organisation').fill('Energikontor Norr');
    await page.getByLabel('Ditt namn').fill('Åsa Admin');
    await page.getByLabel('E-postadress').fill('asa@energikontor.test');
    await page.getByLabel('Lösenord (minst 12 tecken)').fill('Isbrytare-i-Luleå-2026');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Välkommen, Åsa Admin' }).waitFor();
    expect(await page.getByText('Inloggad som Åsa Admin').isVisible()).toBe(true);
    await page.getByRole('link', { name: 'Dokument', exact: true }).click();
    await page.getByRole('heading', { name: 'Dokument', exact: true }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'documents');

    await page.getByLabel('Titel').fill('Klimatplan Luleå');
    await page.getByRole('button', { name: 'Skapa' }).click();
    await page.getByRole('heading', { name: 'Klimatplan Luleå' }).waitFor();
    const documentUrl = page.url();
    const summary = (current: typeof page) => current.getByRole('textbox', { name: 'Sammanfattning' });
    await summary(page).fill('Mål: fossilfritt 2045.');
    await page.getByRole('status').filter({ hasText: 'Sparat' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'editor');

    // A second tab of the same user sees the text live and its own edit comes back.
    const second = await context.newPage();
    await second.goto(documentUrl);
    await expect.poll(() => richTextOf(summary(second)), { timeout: 10_000 }).toBe('Mål: fossilfritt 2045.');
    await summary(second).click();
    await second.keyboard.press('End');
    await second.keyboard.type(' Delmål 2030.');
    await expect.poll(() => richTextOf(summary(page)), { timeout: 10_000 }).toBe('Mål: fossilfritt 2045. Delmål 2030.');
    await context.close();
  });

  it('signs out and in again, and switches to English', async () => {
    const context = await running.browser.newContext();
    const page = await context.newPage();
    await page.goto(running.server.url);
    await page.getByRole('heading', { name: 'Logga in', exact: true }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'sign-in');
    await page.getByLabel('E-postadress').fill('asa@energikontor.test');
    await page.getByLabel('Lösenord').fill('fel lösenord här');
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('Fel e-postadress eller lösenord');
    await page.getByLabel('Lösenord').fill('Isbrytare-i-Luleå-2026');
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.getByRole('heading', { name: 'Välkommen, Åsa Admin' }).waitFor();
    await page.getByRole('button', { name: 'In English' }).click();
    await page.getByRole('heading', { name: 'Welcome, Åsa Admin' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    // The language is the user's own: it survives a reload.
    await page.reload();
    await page.getByRole('heading', { name: 'Welcome, Åsa Admin' }).waitFor();
    // The accessibility statement is one link away, in the current language.
    await page.getByRole('link', { name: 'Accessibility statement' }).click();
    await page.getByRole('heading', { name: 'Accessibility statement', exact: true }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'accessibility-statement');
    await page.getByRole('button', { name: 'På svenska' }).click();
    await page.getByRole('heading', { name: 'Tillgänglighetsredogörelse', exact: true }).waitFor();
    await page.getByRole('link', { name: 'Start', exact: true }).click();
    await page.getByRole('heading', { name: 'Välkommen, Åsa Admin' }).waitFor();
    await page.getByRole('button', { name: 'Logga ut' }).click();
    await page.getByRole('heading', { name: 'Logga in', exact: true }).waitFor();
    await context.close();
  });

  it('an invited coordinator creates the account from the link; a reset link sets a new password', async () => {
    const login = await fetch(`${running.server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'asa@energikontor.test', password: 'Isbrytare-i-Luleå-2026' }),
    });
    const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
    const api = async (path: string, body: unknown) =>
      (await (await fetch(`${running.server.url}/api${path}`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify(body) })).json()) as Record<string, unknown>;
    const organisation = await api('/organisations', { name: 'Piteå kommun' });
    const invitation = await api('/invitations', { email: 'pia@pitea.test', organisationId: organisation.id, role: 'coordinator' });

    const context = await running.browser.newContext();
    const page = await context.newPage();
    await page.goto(String(invitation.url));
    await page.getByRole('heading', { name: 'Skapa ditt konto' }).waitFor();
    expect(await page.getByText('Piteå kommun (pia@pitea.test)').isVisible()).toBe(true);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'invitation');
    await page.getByLabel('Ditt namn').fill('Pia Persson');
    await page.getByLabel('Lösenord (minst 12 tecken)').fill('Havsörn-över-Piteälven');
    await page.getByRole('button', { name: 'Skapa konto' }).click();
    await page.getByText('Inloggad som Pia Persson').waitFor();
    await context.close();

    const users = (await (await fetch(`${running.server.url}/api/users`, { headers: { cookie } })).json()) as { users: { id: string; name: string }[] };
    const pia = users.users.find((user) => user.name === 'Pia Persson')!;
    const reset = await api(`/users/${pia.id}/reset-link`, {});
    const resetContext = await running.browser.newContext();
    const resetPage = await resetContext.newPage();
    await resetPage.goto(String(reset.url));
    await resetPage.getByRole('heading', { name: 'Välj ett nytt lösenord' }).waitFor();
    expect(await accessibilityViolations(resetPage)).toEqual([]);
    await screenshot(resetPage, 'reset-password');
    await resetPage.getByLabel('Lösenord (minst 12 tecken)').fill('Ett-annat-lösenord-2027');
    await resetPage.getByRole('button', { name: 'Spara lösenordet' }).click();
    await resetPage.getByRole('status').filter({ hasText: 'Lösenordet är bytt' }).waitFor();
    await resetPage.getByRole('button', { name: 'Logga in' }).click();
    await resetPage.getByLabel('E-postadress').fill('pia@pitea.test');
    await resetPage.getByLabel('Lösenord').fill('Ett-annat-lösenord-2027');
    await resetPage.getByRole('button', { name: 'Logga in' }).click();
    await resetPage.getByText('Inloggad som Pia Persson').waitFor();
    await resetContext.close();
  });

  it('the document list updates live and search highlights matches', async () => {
    const context = await running.browser.newContext();
    const page = await context.newPage();
    await signIn(page, running.server.url, { email: 'asa@energikontor.test', password: 'Isbrytare-i-Luleå-2026', name: 'Åsa Admin' });
    await page.getByRole('link', { name: 'Dokument', exact: true }).click();
    await page.getByRole('heading', { name: 'Dokument', exact: true }).waitFor();
    // Another tab (same user, through the API) creates a document: it appears without a reload.
    const cookie = (await context.cookies()).find((entry) => entry.name === 'samverkan_session')!;
    const created = await fetch(`${running.server.url}/api/documents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `${cookie.name}=${cookie.value}` },
      body: JSON.stringify({ type: 'pilot', title: 'Värmepumparna i Kalix' }),
    });
    expect(created.status).toBe(201);
    await page.getByRole('link', { name: 'Värmepumparna i Kalix' }).waitFor({ timeout: 10_000 });
    // Search (the index follows within about a second).
    await expect
      .poll(
        async () => {
          await page.getByLabel('Sök i nätverkets dokument').fill('värmepump');
          await page.getByRole('button', { name: 'Sök', exact: true }).click();
          return page.locator('mark', { hasText: 'Värmepumparna' }).count();
        },
        { timeout: 10_000 },
      )
      .toBeGreaterThan(0);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'search');
    await context.close();
  });
});
