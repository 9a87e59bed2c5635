import { beforeAll, describe, expect, it } from 'vitest';
import { tabTo, useServerAndBrowser, VIEWPORT } from './harness.js';

/** Keyboard only: Tab, typing, Enter and Escape; no clicks and no filling by selector. */
describe('keyboard only', () => {
  const running = useServerAndBrowser();
  let adminCookie = '';
  let emptyPlanId = '';

  beforeAll(async () => {
    // An admin, a municipality and a plan, through the API.
    const setup = await fetch(`${running.server.url}/api/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ networkName: 'Norrbotten', organisationName: 'Energikontor Norr', name: 'Åsa Admin', email: 'asa@energikontor.test', password: 'Isbrytare-i-Luleå-2026' }),
    });
    const cookie = setup.headers.getSetCookie()[0]!.split(';')[0]!;
    adminCookie = cookie;
    const post = async (path: string, body: unknown) =>
      (await (await fetch(`${running.server.url}/api${path}`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify(body) })).json()) as { id: string };
    await post('/organisations', { name: 'Piteå kommun' });
    await post('/documents', { type: 'plan', title: 'Klimatplan Luleå' });
    emptyPlanId = (await post('/documents', { type: 'plan', title: 'Energiplan Boden' })).id;
    await post('/documents', { type: 'pilot', title: 'Elcyklar i hemtjänsten' });
  });

  it('signs in, opens a document from search and shares it', async () => {
    const page = await (await running.browser.newContext({ viewport: VIEWPORT })).newPage();
    await page.goto(running.server.url);
    await page.getByRole('heading', { name: 'Logga in', exact: true }).waitFor();

    await tabTo(page, 'E-postadress');
    await page.keyboard.type('asa@energikontor.test');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Isbrytare-i-Luleå-2026');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Välkommen, Åsa Admin' }).waitFor();

    await tabTo(page, 'Dokument', 'nav');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Dokument', level: 1 }).waitFor();
    // After the navigation the focus is on the new page's heading, so the next Tab goes on from there.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('page-heading');
    await tabTo(page, 'Sök i nätverkets dokument');
    await page.keyboard.type('Klimatplan');
    await page.keyboard.press('Enter');
    await page.locator('.search-results mark', { hasText: 'Klimatplan' }).waitFor({ timeout: 10_000 });
    await tabTo(page, 'Klimatplan Luleå', '.search-results');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Klimatplan Luleå', level: 1 }).waitFor();

    await tabTo(page, 'Dela');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Dela ”Klimatplan Luleå”' });
    await dialog.waitFor();
    await tabTo(page, 'Dela med', '[role=dialog]');
    await page.keyboard.type('Piteå');
    expect(await dialog.getByLabel('Dela med').evaluate((select: HTMLSelectElement) => select.selectedOptions[0]?.textContent)).toBe('Piteå kommun');
    await tabTo(page, 'Lägg till', '[role=dialog]');
    await page.keyboard.press('Enter');
    await dialog.getByRole('status').filter({ hasText: 'Delat med Piteå kommun.' }).waitFor();
    await dialog.getByText('Organisation: Piteå kommun – Kan redigera').waitFor();
    // The focus stayed inside the dialog.
    expect(await page.evaluate(() => document.activeElement?.closest('[role=dialog]') !== null)).toBe(true);
    // A visibility chosen and not saved is not dropped silently: the first Escape keeps the
    // dialog open and says so; the second closes it without saving.
    const visibility = dialog.getByRole('combobox', { name: 'Vem får läsa' });
    const saved = await visibility.inputValue();
    await tabTo(page, 'Vem får läsa', '[role=dialog]');
    await page.keyboard.press(saved === 'private' ? 'ArrowDown' : 'ArrowUp');
    expect(await visibility.inputValue()).not.toBe(saved);
    await dialog.getByText('Inte sparad än: tryck på Spara.').waitFor();
    await page.keyboard.press('Escape');
    await dialog.getByRole('alert').filter({ hasText: 'Synligheten är ändrad men inte sparad.' }).waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent), { timeout: 2000 }).toBe('Dela');
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    // Nothing was saved: the choice shown is the saved one again, and nothing says otherwise.
    expect(await visibility.inputValue()).toBe(saved);
    expect(await dialog.getByText('Inte sparad än').count()).toBe(0);
    // Escape closes it and gives the focus back to "Dela".
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    // (react-aria restores it in the frame after the dialog unmounts.)
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent), { timeout: 2000 }).toBe('Dela');
    await page.context().close();
  });

  it('closing a measure\'s details or removing a measure or target leaves the focus where the work goes on', async () => {
    const context = await running.browser.newContext({ viewport: VIEWPORT });
    const [name, value] = adminCookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: running.server.url }]);
    const page = await context.newPage();
    await page.goto(`${running.server.url}/documents/${emptyPlanId}`);
    await page.getByRole('heading', { name: 'Energiplan Boden', level: 1 }).waitFor();
    const focused = () => page.evaluate(() => ({ text: document.activeElement?.textContent?.trim() ?? '', expanded: document.activeElement?.getAttribute('aria-expanded') ?? null }));
    const addMeasure = async (title: string) => {
      await tabTo(page, 'Lägg till åtgärd');
      await page.keyboard.press('Enter');
      await page.getByRole('region', { name: 'Åtgärd: Namnlös åtgärd' }).waitFor();
      await tabTo(page, 'Åtgärd', '#measure-detail');
      await page.keyboard.type(title);
      // The close button comes just before the first field.
      await page.keyboard.press('Shift+Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Stäng detaljerna');
      await page.keyboard.press('Enter');
      await page.locator('#measure-detail').waitFor({ state: 'detached' });
      // Back on the measure whose details were closed, not on the page.
      await expect.poll(focused, { timeout: 2000 }).toEqual({ text: title, expanded: 'false' });
    };
    await addMeasure('Cykelbanor');
    await addMeasure('Solpaneler');

    const remove = async (label: string, backwards = false) => {
      if (backwards) {
        // Shift+Tab until the button (it comes before the focus).
        for (let presses = 0; presses < 60 && (await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))) !== label; presses++) {
          await page.keyboard.press('Shift+Tab');
        }
        expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(label);
      } else {
        await tabTo(page, label);
      }
      await page.keyboard.press('Enter');
      await page.getByRole('alertdialog').waitFor();
      await tabTo(page, 'Ta bort', '[role=alertdialog]');
      await page.keyboard.press('Enter');
      await page.getByRole('alertdialog').waitFor({ state: 'detached' });
    };
    await remove('Ta bort åtgärden Cykelbanor');
    await expect.poll(focused, { timeout: 2000 }).toEqual({ text: 'Solpaneler', expanded: 'false' });
    await remove('Ta bort åtgärden Solpaneler');
    await expect.poll(focused, { timeout: 2000 }).toEqual({ text: 'Lägg till åtgärd', expanded: null });

    // A new plan has the template's two targets; two more are added after them (Mål 3 and 4).
    await tabTo(page, 'Lägg till mål');
    await page.keyboard.press('Enter');
    await page.getByRole('group', { name: 'Mål 3' }).waitFor();
    await page.keyboard.press('Enter');
    await page.getByRole('group', { name: 'Mål 4' }).waitFor();
    const focusedTarget = () => page.evaluate(() => document.activeElement?.querySelector(':scope > legend')?.textContent ?? null);
    await remove('Ta bort målet Mål 3', true);
    // The target that took its place (now number 3).
    await expect.poll(focusedTarget, { timeout: 2000 }).toBe('Mål 3');
    await remove('Ta bort målet Mål 3', false);
    // The last one gone: the one before it.
    await expect.poll(focusedTarget, { timeout: 2000 }).toMatch(/^Mål 2: /);
    await context.close();
  });
});
