import { describe, expect, it } from 'vitest';
// The server tests' own way of failing the journal (the e2e server is the same build, on a data folder of ours).
import { blockJournal } from '../../server/src/test/blockJournal.js';
import { accessibilityViolations, signIn, useServerAndBrowser, VIEWPORT } from './harness.js';

/**
 * The server's disk stops taking writes while a coordinator creates a document: the page says
 * that the change waits (not to try again), and nothing is made twice or lost.
 */
describe('a store that stops answering', () => {
  // Every journal commit starts a segment, so that a blocked journal folder fails every commit.
  const running = useServerAndBrowser({ JOURNAL_SEGMENT_BYTES: '1' });

  it('a document created meanwhile is announced as waiting, listed once, and gets its content when the disk answers', async () => {
    const setup = await fetch(`${running.server.url}/api/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ networkName: 'Norrbotten', organisationName: 'Energikontor Norr', name: 'Åsa Admin', email: 'asa@energikontor.test', password: 'Isbrytare-i-Luleå-2026' }),
    });
    expect(setup.status).toBe(201);
    const page = await (await running.browser.newContext({ viewport: VIEWPORT })).newPage();
    await signIn(page, running.server.url, { email: 'asa@energikontor.test', password: 'Isbrytare-i-Luleå-2026', name: 'Åsa Admin' });
    await page.getByRole('link', { name: 'Dokument', exact: true }).click();
    await page.getByRole('heading', { name: 'Dokument', level: 1 }).waitFor();

    const unblock = blockJournal(running.server.dataDir);
    try {
      await page.getByLabel('Titel').fill('Klimatplan Kiruna');
      await page.getByRole('button', { name: 'Skapa' }).click();
      // The server answers after 5 s of waiting for the failing store.
      await page.getByRole('alert').filter({ hasText: 'Ändringen sparas automatiskt så snart det går igen' }).waitFor({ timeout: 15_000 });
      // The form does not offer to create it a second time, and the list shows the one document.
      expect(await page.getByLabel('Titel').inputValue()).toBe('');
      await page.getByRole('link', { name: 'Klimatplan Kiruna' }).waitFor();
      expect(await page.getByRole('link', { name: 'Klimatplan Kiruna' }).count()).toBe(1);
      expect(await accessibilityViolations(page)).toEqual([]);
    } finally {
      unblock();
    }
    await page.getByRole('link', { name: 'Klimatplan Kiruna' }).click();
    await page.getByRole('heading', { name: 'Klimatplan Kiruna', level: 1 }).waitFor();
    // The template that waited for the store: the plan's summary starts with its vision heading.
    await page.getByRole('textbox', { name: 'Sammanfattning' }).filter({ hasText: 'Vision' }).waitFor({ timeout: 15_000 });
  }, 60_000);
});
