import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations, launchBrowser, screenshot, startServer } from './harness.js';

describe('first run, documents and live editing in Chromium', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('sets up the network by keyboard, creates a plan, co-edits it live and shows Saved; every page passes axe', async () => {
    const context = await browser.newContext({ locale: 'sv-SE' });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'Kom igång' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'setup');

    await page.getByLabel('Nätverkets namn').fill('Norrbottens energinätverk');
    await page.getByLabel('Din organisation').fill('Energikontor Norr');
    await page.getByLabel('Ditt namn').fill('Åsa Admin');
    await page.getByLabel('E-postadress').fill('asa@energikontor.test');
    await page.getByLabel('Lösenord (minst 12 tecken)').fill('Isbrytare-i-Luleå-2026');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Dokument', exact: true }).waitFor();
    expect(await page.getByText('Inloggad som Åsa Admin').isVisible()).toBe(true);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'documents');

    await page.getByLabel('Titel').fill('Klimatplan Luleå');
    await page.getByRole('button', { name: 'Skapa' }).click();
    await page.getByRole('heading', { name: 'Klimatplan Luleå' }).waitFor();
    const documentUrl = page.url();
    await page.getByLabel('Anteckningar').fill('Mål: fossilfritt 2045.');
    await page.getByRole('status').filter({ hasText: 'Sparat' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'editor');

    // A second tab of the same user sees the text live and its own edit comes back.
    const second = await context.newPage();
    await second.goto(documentUrl);
    await second.getByLabel('Anteckningar').waitFor();
    await expect.poll(() => second.getByLabel('Anteckningar').inputValue(), { timeout: 10_000 }).toBe('Mål: fossilfritt 2045.');
    await second.getByLabel('Anteckningar').press('End');
    await second.keyboard.type(' Delmål 2030.');
    await expect.poll(() => page.getByLabel('Anteckningar').inputValue(), { timeout: 10_000 }).toBe('Mål: fossilfritt 2045. Delmål 2030.');
    await context.close();
  });

  it('signs out and in again, and switches to English', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(server.url);
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
    await page.getByRole('heading', { name: 'Dokument', exact: true }).waitFor();
    await page.getByRole('button', { name: 'In English' }).click();
    await page.getByRole('heading', { name: 'Documents', exact: true }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await context.close();
  });
});
