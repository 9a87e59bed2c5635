import type { BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import type * as Y from 'yjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations, richTextOf, screenshot, useServerAndBrowser, VIEWPORT } from './harness.js';

const PASSWORD = 'Gemensamt-lösenord-2026';

/**
 * Plans and pilots co-edited live by two coordinators of Luleå, a reader from Piteå, a cut
 * connection, and the device copy that survives it.
 */
describe('plan and pilot editors', () => {
  const running = useServerAndBrowser({ BUILD_ID: 'build-1' });
  let adminCookie = '';
  const people: Record<'lina' | 'lars' | 'pia', { cookie: string; id: string; organisationId: string }> = {
    lina: { cookie: '', id: '', organisationId: '' },
    lars: { cookie: '', id: '', organisationId: '' },
    pia: { cookie: '', id: '', organisationId: '' },
  };
  let planId = '';

  async function api(method: string, path: string, cookie: string, body?: unknown): Promise<Record<string, unknown>> {
    const response = await fetch(`${running.server.url}/api${path}`, {
      method,
      headers: { 'content-type': 'application/json', cookie },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    expect(response.status, `${method} ${path}`).toBeLessThan(300);
    return response.status === 204 ? {} : ((await response.json()) as Record<string, unknown>);
  }

  async function person(key: keyof typeof people, name: string, organisationId: string): Promise<void> {
    const invitation = await api('POST', '/invitations', adminCookie, { email: `${key}@test.se`, organisationId, role: 'coordinator' });
    const accepted = await fetch(`${running.server.url}/api/invitations/${String(invitation.token)}/accept`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name, password: PASSWORD }),
    });
    people[key] = {
      cookie: accepted.headers.getSetCookie()[0]!.split(';')[0]!,
      id: ((await accepted.json()) as { user: { id: string } }).user.id,
      organisationId,
    };
  }

  async function signedIn(key: keyof typeof people, path: string, options: { locale?: string; serviceWorkers?: 'allow' | 'block' } = {}): Promise<Page> {
    const context = await running.browser.newContext({ viewport: VIEWPORT, locale: options.locale ?? 'sv-SE', serviceWorkers: options.serviceWorkers ?? 'allow' });
    const [name, value] = people[key].cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: running.server.url }]);
    const page = await context.newPage();
    // Errors in the page are printed, so a failure says what the app saw.
    page.on('pageerror', (error) => console.log(`[${key}] page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') console.log(`[${key}] console error: ${message.text()}`);
    });
    await page.goto(`${running.server.url}${path}`);
    return page;
  }

  const textOf = richTextOf;
  const saved = (page: Page) => page.getByRole('status').filter({ hasText: 'Sparat' }).waitFor({ timeout: 10_000 });
  const measureTitles = (page: Page) => page.locator('table.measures tbody tr .link-button').allTextContents();
  /** A new document of Lina's. */
  const created = async (type: 'plan' | 'pilot' | 'board', title: string) => String((await api('POST', '/documents', people.lina.cookie, { type, title })).id);
  /** Lina and Lars with one document open, each connected and saved. */
  async function bothIn(documentId: string): Promise<[Page, Page]> {
    const lina = await signedIn('lina', `/documents/${documentId}`);
    const lars = await signedIn('lars', `/documents/${documentId}`);
    await saved(lina);
    await saved(lars);
    return [lina, lars];
  }

  beforeAll(async () => {
    const setup = await fetch(`${running.server.url}/api/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ networkName: 'Norrbotten', organisationName: 'Energikontor Norr', name: 'Åsa Admin', email: 'asa@test.se', password: PASSWORD }),
    });
    adminCookie = setup.headers.getSetCookie()[0]!.split(';')[0]!;
    const lulea = String((await api('POST', '/organisations', adminCookie, { name: 'Luleå kommun' })).id);
    const pitea = String((await api('POST', '/organisations', adminCookie, { name: 'Piteå kommun' })).id);
    await person('lina', 'Lina Lindberg', lulea);
    await person('lars', 'Lars Larsson', lulea);
    await person('pia', 'Pia Persson', pitea);
    planId = await created('plan', 'Klimatplan Luleå');
  });

  it('two coordinators co-edit a plan: a new measure and its description reach the other; simultaneous reorders converge', async () => {
    const [lina, lars] = await bothIn(planId);
    await lars.getByText('I dokumentet just nu:').waitFor();
    await lars.getByRole('listitem').filter({ hasText: 'Lina Lindberg' }).waitFor();

    await lina.getByRole('button', { name: 'Lägg till åtgärd' }).click();
    const detail = lina.getByRole('region', { name: /^Åtgärd:/ });
    await detail.getByLabel('Åtgärd', { exact: true }).fill('Cykelbanor till skolorna');
    await detail.getByRole('textbox', { name: 'Beskrivning' }).click();
    await lina.keyboard.type('Trygga cykelvägar till alla grundskolor.');
    const typedAt = Date.now();
    await lars.getByRole('button', { name: 'Cykelbanor till skolorna', exact: true }).waitFor({ timeout: 10_000 });
    const titleSeen = Date.now() - typedAt;
    // Lina has the measure open: Lars sees who is editing it.
    await lars.locator('table.measures tr', { hasText: 'Cykelbanor till skolorna' }).getByText('Redigeras av Lina Lindberg').waitFor({ timeout: 10_000 });
    await lars.getByRole('button', { name: 'Cykelbanor till skolorna', exact: true }).click();
    const larsDetail = lars.getByRole('region', { name: 'Åtgärd: Cykelbanor till skolorna' });
    await expect.poll(() => textOf(larsDetail.getByRole('textbox', { name: 'Beskrivning' })), { timeout: 10_000 }).toBe('Trygga cykelvägar till alla grundskolor.');
    console.log(`co-editing: title seen by the other after ≤ ${titleSeen} ms, description after ≤ ${Date.now() - typedAt} ms`);
    // Lina's caret is in the description: Lars sees it with her name.
    await larsDetail.locator('.remote-caret-label', { hasText: 'Lina Lindberg' }).waitFor({ timeout: 10_000 });

    // Two more measures, then both move at the same moment.
    for (const title of ['Solceller på kommunens tak', 'Fossilfria tjänstebilar']) {
      await lina.getByRole('button', { name: 'Lägg till åtgärd' }).click();
      // The new, untitled measure's details: not the previous measure's, still open if the page
      // has not rendered the new one yet (its title would be overwritten).
      await lina.getByRole('region', { name: 'Åtgärd: Namnlös åtgärd' }).getByLabel('Åtgärd', { exact: true }).fill(title);
    }
    const expected = ['Cykelbanor till skolorna', 'Solceller på kommunens tak', 'Fossilfria tjänstebilar'];
    await expect.poll(() => measureTitles(lars), { timeout: 10_000 }).toEqual(expected);
    await Promise.all([
      lina.getByRole('button', { name: 'Flytta ned Cykelbanor till skolorna' }).click(),
      lars.getByRole('button', { name: 'Flytta upp Fossilfria tjänstebilar' }).click(),
    ]);
    await expect.poll(async () => JSON.stringify(await measureTitles(lina)) === JSON.stringify(await measureTitles(lars)), { timeout: 10_000 }).toBe(true);
    const final = await measureTitles(lina);
    expect([...final].sort()).toEqual([...expected].sort());
    expect(new Set(final).size).toBe(3);
    console.log(`after simultaneous moves both see: ${final.join(' | ')}`);

    // A keyboard-only move (dnd-kit's keyboard sensor) also reaches the other.
    const before = await measureTitles(lina);
    await lina.getByRole('button', { name: `Flytta ${before[0]} (dra, eller mellanslag och piltangenter)` }).focus();
    // dnd-kit measures the rows between key presses: give it a frame or two.
    const pause = () => lina.waitForTimeout(150);
    await lina.keyboard.press('Space');
    await pause();
    await lina.keyboard.press('ArrowDown');
    await pause();
    await lina.keyboard.press('Space');
    await expect.poll(() => measureTitles(lars), { timeout: 10_000 }).toEqual([before[1], before[0], before[2]]);
    await lina.context().close();
    await lars.context().close();
  });

  it('numbers: "10,5" is stored as 10.5 in an English browser too; text that is not a number yet stays as typed, is flagged, and changes nothing', async () => {
    const lina = await signedIn('lina', `/documents/${planId}`, { locale: 'en-GB' });
    await saved(lina);
    const lars = await signedIn('lars', `/documents/${planId}`);
    await saved(lars);
    const co2 = async (page: Page) => {
      const row = page.getByRole('button', { name: 'Cykelbanor till skolorna', exact: true });
      const detail = page.getByRole('region', { name: 'Åtgärd: Cykelbanor till skolorna' });
      if (!(await detail.isVisible())) await row.click();
      return detail.getByLabel('Förväntad minskning (ton CO₂e/år)');
    };
    const field = await co2(lina);
    await field.fill('');
    await field.pressSequentially('10,5');
    await lina.keyboard.press('Tab');
    expect(await field.inputValue()).toBe('10,5');
    const seen = await co2(lars);
    await expect.poll(() => seen.inputValue(), { timeout: 10_000 }).toBe('10,5');
    // Not a number: kept as typed, said so (linked to the field), the stored value unchanged.
    await field.fill('12 ton');
    await lina.keyboard.press('Tab');
    expect(await field.inputValue()).toBe('12 ton');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    await lina.getByRole('alert').filter({ hasText: 'Skriv ett tal, till exempel 12,5' }).waitFor();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await seen.inputValue()).toBe('10,5');
    await field.fill('12');
    await expect.poll(() => seen.inputValue(), { timeout: 10_000 }).toBe('12');
    expect(await lina.getByRole('alert').filter({ hasText: 'Skriv ett tal' }).count()).toBe(0);
    await lina.context().close();
    await lars.context().close();
  });

  it('a measured value for a year that has one already: the form says it replaces it, before it does', async () => {
    const lina = await signedIn('lina', `/documents/${planId}`);
    await saved(lina);
    await lina.getByRole('button', { name: 'Lägg till mål' }).click();
    const target = lina.getByRole('group', { name: /^Mål \d+$/ }).last();
    const year = target.getByLabel('År', { exact: true });
    const value = target.getByLabel('Uppmätt värde', { exact: true });
    await year.fill('2024');
    await value.fill('100');
    await target.getByRole('button', { name: 'Lägg till värde' }).click();
    await target.getByRole('row', { name: /2024/ }).waitFor();
    await year.fill('2024');
    await value.fill('90');
    // Not silent: the button and a status line name the year and the value it replaces.
    await target.getByRole('status').filter({ hasText: '2024 har redan värdet 100. Det ersätts med det nya.' }).waitFor();
    expect(await target.getByRole('button', { name: 'Lägg till värde' }).count()).toBe(0);
    await target.getByRole('button', { name: 'Ersätt värdet för 2024' }).click();
    await expect.poll(() => target.getByRole('row', { name: /2024/ }).allTextContents()).toEqual([expect.stringMatching(/^2024\s*90/)]);
    expect(await target.getByRole('status').textContent()).toBe('');
    // Removing a value hands the focus to the next value's button, and after the last to the year field.
    await year.fill('2025');
    await value.fill('80');
    await target.getByRole('button', { name: 'Lägg till värde' }).click();
    await target.getByRole('button', { name: 'Ta bort värdet för 2024' }).click();
    await expect.poll(() => lina.evaluate(() => document.activeElement?.getAttribute('aria-label')), { timeout: 2000 }).toBe('Ta bort värdet för 2025');
    await lina.keyboard.press('Enter');
    await expect.poll(() => year.evaluate((input) => input === document.activeElement), { timeout: 2000 }).toBe(true);
    await target.getByText('Inga uppmätta värden ännu.').waitFor();
    await lina.context().close();
  });

  it('a failed background re-check of the document keeps the open page and what is typed in it', async () => {
    // Without the service worker, so that the test can answer the re-check itself.
    const lina = await signedIn('lina', `/documents/${planId}`, { serviceWorkers: 'block' });
    await saved(lina);
    // Typed on the page only (not yet added): a measured value's year.
    const year = lina.getByLabel('År', { exact: true }).first();
    await year.fill('2031');
    await lina.route(`**/api/documents/${planId}`, (route) => route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":{"id":"unavailable","message":"nere"}}' }));
    await lina.evaluate(() => window.dispatchEvent(new Event('visibilitychange')));
    // The re-check and its two retries fail (about 3 s).
    await new Promise((resolve) => setTimeout(resolve, 5000));
    expect(await lina.getByRole('heading', { name: 'Klimatplan Luleå', level: 1 }).isVisible()).toBe(true);
    expect(await year.inputValue()).toBe('2031');
    await lina.context().close();
  });

  it('importing from a spreadsheet: a double click on Import while it runs imports the rows once', async () => {
    const importPlan = await created('plan', 'Importplan');
    const lina = await signedIn('lina', `/documents/${importPlan}`, { serviceWorkers: 'block' });
    await saved(lina);
    const before = (await measureTitles(lina)).length;
    await lina.getByText('Importera åtgärder från ett kalkylark').click();
    await lina.getByLabel('Fil (CSV eller Excel)').setInputFiles({
      name: 'atgarder.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('Titel;Sektor\nVärmepumpar i skolor;Byggnader\nCykelparkering vid stationen;Transporter\n'),
    });
    const button = lina.getByRole('button', { name: 'Importera 2 åtgärder' });
    await button.waitFor({ timeout: 10_000 });
    // A slow answer: the second click lands while the first import runs.
    await lina.route('**/import/confirm', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await route.continue();
    });
    await button.dblclick();
    await lina.getByText('2 åtgärder är importerade.').waitFor({ timeout: 10_000 });
    await expect.poll(async () => (await measureTitles(lina)).length, { timeout: 10_000 }).toBe(before + 2);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await measureTitles(lina)).length).toBe(before + 2);
    await lina.context().close();
  });

  it('two coordinators typing in the same measure title at once both keep what they typed, and their carets', async () => {
    const [lina, lars] = await bothIn(await created('plan', 'Laddplan Luleå'));
    await lina.getByRole('button', { name: 'Lägg till åtgärd' }).click();
    const title = (page: Page) => page.getByRole('region', { name: /^Åtgärd:/ }).getByLabel('Åtgärd', { exact: true });
    await title(lina).fill('Laddplatser');
    await lars.getByRole('button', { name: 'Laddplatser', exact: true }).click({ timeout: 10_000 });
    await expect.poll(() => title(lars).inputValue(), { timeout: 10_000 }).toBe('Laddplatser');
    // Lina writes at the start, Lars at the end, key by key at the same time.
    await title(lina).focus();
    await lina.keyboard.press('Home');
    await title(lars).focus();
    await lars.keyboard.press('End');
    await Promise.all([lina.keyboard.type('Fler ', { delay: 60 }), lars.keyboard.type(' i Boden', { delay: 60 })]);
    const both = 'Fler Laddplatser i Boden';
    await expect.poll(() => title(lina).inputValue(), { timeout: 10_000 }).toBe(both);
    await expect.poll(() => title(lars).inputValue(), { timeout: 10_000 }).toBe(both);
    // Each caret stayed where its owner was typing.
    await lina.keyboard.type('nya ');
    await lars.keyboard.type(' och Luleå');
    const final = 'Fler nya Laddplatser i Boden och Luleå';
    await expect.poll(() => title(lina).inputValue(), { timeout: 10_000 }).toBe(final);
    await expect.poll(() => title(lars).inputValue(), { timeout: 10_000 }).toBe(final);
    // A key Lina presses in the very task that brings Lars's next character (before anything
    // else runs) edits the title as it is with that character: it is not undone.
    await lina.evaluate(() => {
      const shared = window.samverkanDocument;
      const socket = shared?.provider.ws;
      const input = document.activeElement;
      if (!shared || !socket || !(input instanceof HTMLInputElement)) throw new Error('no open document or focused field');
      const receive = socket.onmessage?.bind(socket) ?? null;
      socket.onmessage = (event) => {
        const before = input.value;
        receive?.(event);
        const text = [...shared.doc.getMap<Y.Map<unknown>>('measures').values()].map((measure) => String(measure.get('title'))).find((value) => value.endsWith('Luleå'));
        if (text === undefined || text === before) return;
        socket.onmessage = receive;
        // What typing does: the field's text changes, then the input event.
        input.setRangeText('!', input.value.length, input.value.length, 'end');
        input.dispatchEvent(new Event('input', { bubbles: true }));
      };
    });
    await lars.keyboard.press('Home');
    await lars.keyboard.type('A');
    await expect.poll(() => title(lars).inputValue(), { timeout: 10_000 }).toBe(`A${final}!`);
    expect(await title(lina).inputValue()).toBe(`A${final}!`);
    // The caret is a place in the text, not a guess from the string: Lars adds a "d" inside
    // Lina's "dd" run, before her caret, and her next key lands after her own "Ladd".
    const press = async (page: Page, key: string, times: number) => {
      for (let index = 0; index < times; index++) await page.keyboard.press(key);
    };
    await lina.keyboard.press('Home');
    await press(lina, 'ArrowRight', 'AFler nya Ladd'.length);
    await lars.keyboard.press('Home');
    await press(lars, 'ArrowRight', 'AFler nya La'.length);
    await lars.keyboard.type('d');
    await expect.poll(() => title(lina).inputValue(), { timeout: 10_000 }).toBe(`AFler nya Ladddplatser i Boden och Luleå!`);
    await lina.keyboard.type('X');
    await expect.poll(() => title(lars).inputValue(), { timeout: 10_000 }).toBe(`AFler nya LadddXplatser i Boden och Luleå!`);
    await lina.context().close();
    await lars.context().close();
  });

  it('board notes: someone else typing does not move your caret', async () => {
    const [lina, lars] = await bothIn(await created('board', 'Nätverksträff'));
    const notes = (page: Page) => page.getByLabel('Anteckningar');
    await notes(lina).click();
    await lina.keyboard.type('Dagordning');
    await expect.poll(() => notes(lars).inputValue(), { timeout: 10_000 }).toBe('Dagordning');
    // Lina puts her caret at the start; Lars writes at the end.
    await lina.keyboard.press('Control+Home');
    await notes(lars).click();
    await lars.keyboard.press('Control+End');
    await lars.keyboard.type(' och fika');
    await expect.poll(() => notes(lina).inputValue(), { timeout: 10_000 }).toBe('Dagordning och fika');
    await lina.keyboard.type('1. ');
    await expect.poll(() => notes(lars).inputValue(), { timeout: 10_000 }).toBe('1. Dagordning och fika');
    await lina.context().close();
    await lars.context().close();
  });

  it('clicking after the end of a line where a colleague’s caret is and typing at once: every key lands in the text', async () => {
    const [lina, lars] = await bothIn(await created('plan', 'Caretplan'));
    const summary = (page: Page) => page.getByRole('textbox', { name: 'Sammanfattning' });
    await summary(lina).fill('Mål 2045.');
    await expect.poll(() => richTextOf(summary(lars)), { timeout: 10_000 }).toBe('Mål 2045.');
    // Lina's caret sits at the end of the line on Lars's screen. Before, it held invisible text
    // of its own: a click after the line's end put Lars's caret inside it, where the browser
    // drops what is typed (the caret is not editable) until the editor moves the selection out.
    const mark = lars.locator('.remote-caret');
    await expect.poll(() => mark.evaluate((element) => element.previousSibling?.textContent === 'Mål 2045.'), { timeout: 10_000 }).toBe(true);
    const box = (await mark.boundingBox())!;
    // A click in the empty space right of the line's end, where people click to go on writing.
    await lars.mouse.click(box.x + 60, box.y + box.height / 2);
    await lars.keyboard.type(' Delmål 2030.');
    await expect.poll(() => richTextOf(summary(lars))).toBe('Mål 2045. Delmål 2030.');
    await expect.poll(() => richTextOf(summary(lina)), { timeout: 10_000 }).toBe('Mål 2045. Delmål 2030.');
    await lina.context().close();
    await lars.context().close();
  });

  it('a plan with ten measures, an open detail panel and a remote caret passes axe', async () => {
    const csv = ['Titel;Sektor;Status', ...Array.from({ length: 7 }, (_, index) => `Åtgärd ${index + 4};Transporter;planerad`)].join('\n');
    await api('POST', `/documents/${planId}/import/confirm`, people.lina.cookie, { format: 'csv', content: Buffer.from(csv).toString('base64') });
    const lina = await signedIn('lina', `/documents/${planId}`);
    const lars = await signedIn('lars', `/documents/${planId}`);
    await expect.poll(async () => (await measureTitles(lars)).length, { timeout: 10_000 }).toBe(10);
    await lina.getByRole('button', { name: 'Solceller på kommunens tak', exact: true }).click();
    await lina.getByRole('region', { name: /^Åtgärd:/ }).getByRole('textbox', { name: 'Beskrivning' }).click();
    await lina.keyboard.type('Tak på skolor och sporthallar.');
    await lars.getByRole('button', { name: 'Solceller på kommunens tak', exact: true }).click();
    await lars.locator('.remote-caret-label', { hasText: 'Lina Lindberg' }).waitFor({ timeout: 10_000 });
    expect(await accessibilityViolations(lars)).toEqual([]);
    // Below the sticky bar (save state and who is here).
    await lars.locator('#measures-heading').evaluate((element) => window.scrollTo(0, element.getBoundingClientRect().top + window.scrollY - 70));
    await screenshot(lars, 'plan-editor', { readme: true });
    await lars.locator('#measure-detail .rich-text-frame').evaluate((element) => element.scrollIntoView({ block: 'center' }));
    await screenshot(lars, 'plan-measure-detail', { readme: true });
    await lina.context().close();
    await lars.context().close();
  });

  it('a reader sees no editing controls, and an edit forced through the provider reaches no one', async () => {
    await api('POST', `/documents/${planId}/shares`, people.lina.cookie, { organisationId: people.pia.organisationId, role: 'viewer' });
    const pia = await signedIn('pia', `/documents/${planId}`);
    await pia.getByRole('heading', { name: 'Klimatplan Luleå', level: 1 }).waitFor();
    await expect.poll(async () => (await measureTitles(pia)).length, { timeout: 10_000 }).toBe(10);
    expect(await pia.getByText('Din behörighet: läsa').isVisible()).toBe(true);
    expect(await pia.getByRole('button', { name: 'Lägg till åtgärd' }).count()).toBe(0);
    expect(await pia.getByRole('button', { name: 'Lägg till mål' }).count()).toBe(0);
    expect(await pia.getByRole('button', { name: /^Flytta/ }).count()).toBe(0);
    expect(await pia.getByRole('button', { name: /^Ta bort/ }).count()).toBe(0);
    expect(await pia.getByRole('button', { name: 'Dela' }).count()).toBe(0);
    expect(await pia.getByRole('textbox', { name: 'Sammanfattning' }).getAttribute('contenteditable')).toBe('false');
    await pia.getByRole('button', { name: 'Cykelbanor till skolorna', exact: true }).click();
    const detail = pia.getByRole('region', { name: 'Åtgärd: Cykelbanor till skolorna' });
    expect(await detail.getByLabel('Åtgärd', { exact: true }).getAttribute('readonly')).not.toBeNull();
    expect(await detail.getByLabel('Sektor').isDisabled()).toBe(true);
    expect(await accessibilityViolations(pia)).toEqual([]);

    // Forced through the page's own provider: the server drops it.
    const lina = await signedIn('lina', `/documents/${planId}`);
    await saved(lina);
    await pia.evaluate(() => {
      const shared = window.samverkanDocument;
      if (!shared) throw new Error('no open document');
      shared.doc.getMap<{ set: (key: string, value: unknown) => void }>('measures').forEach((measure) => measure.set('title', 'Ändrad av läsaren'));
    });
    expect(await pia.getByText('Ändrad av läsaren').count()).toBeGreaterThan(0);
    // Nothing of a reader's is saved, and the status says so rather than "Saving…" for ever.
    await pia.getByRole('status').filter({ hasText: 'Endast läsning' }).waitFor({ timeout: 5000 });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await lina.getByText('Ändrad av läsaren').count()).toBe(0);
    const fresh = await lina.context().newPage();
    await fresh.goto(`${running.server.url}/documents/${planId}`);
    await expect.poll(async () => (await measureTitles(fresh)).length, { timeout: 10_000 }).toBe(10);
    expect(await measureTitles(fresh)).not.toContain('Ändrad av läsaren');
    await pia.context().close();
    await lina.context().close();
  });

  it('a log entry appended by one coordinator appears for the other with its author and date; the pilot log passes axe', async () => {
    const [lina, lars] = await bothIn(await created('pilot', 'Elcyklar i hemtjänsten'));
    // Without a whole date no entry is added (it used to be dated today without a word).
    await lina.getByLabel('Datum för ny anteckning').fill('');
    await lina.getByRole('alert').filter({ hasText: 'Skriv ett helt datum' }).waitFor();
    expect(await lina.getByRole('button', { name: 'Lägg till anteckning' }).isDisabled()).toBe(true);
    await lina.getByLabel('Datum för ny anteckning').fill('2026-11-20');
    await lina.getByRole('button', { name: 'Lägg till anteckning' }).click();
    // The new entry's text takes the focus.
    await lina.locator('.log-entry .ProseMirror:focus').waitFor();
    await lina.keyboard.type('Första veckan: sex elcyklar i bruk, inga haverier.');
    const entry = lars.getByRole('heading', { name: '20 november 2026, skriven av Lina Lindberg', level: 3 });
    await entry.waitFor({ timeout: 10_000 });
    await expect
      .poll(() => textOf(lars.locator('.log-entry', { has: entry }).getByRole('textbox')), { timeout: 10_000 })
      .toBe('Första veckan: sex elcyklar i bruk, inga haverier.');
    // The two experiences are distinct sections.
    await lina.getByRole('textbox', { name: 'Det här gick bra' }).fill('Personalen tyckte om cyklarna.');
    await lina.getByRole('textbox', { name: 'Det här gick mindre bra' }).fill('Laddningen i källaren var krånglig.');
    await lina.getByLabel('Vår rekommendation').selectOption({ label: 'Rekommenderas' });
    await lina.getByLabel('Dela som gott exempel i nätverket').check();
    await lars.getByText('Piloten visas som gott exempel för hela nätverket.').waitFor({ timeout: 10_000 });
    expect(await accessibilityViolations(lars)).toEqual([]);
    await lars.locator('#log-heading').evaluate((element) => window.scrollTo(0, element.getBoundingClientRect().top + window.scrollY - 70));
    await screenshot(lars, 'pilot-log', { readme: true });
    await lina.context().close();
    await lars.context().close();
  });
  it('a coordinator in Piteå copies a measure of Luleå’s plan into her own plan with the keyboard; Luleå sees who uses it', async () => {
    const source = String((await api('POST', '/documents', people.lina.cookie, { type: 'plan', title: 'Luleås nätverksplan', visibility: 'network' })).id);
    await api('POST', '/documents', people.pia.cookie, { type: 'plan', title: 'Piteås klimatplan' });
    const lina = await signedIn('lina', `/documents/${source}`);
    await saved(lina);
    await lina.getByRole('button', { name: 'Lägg till åtgärd' }).click();
    await lina.getByRole('region', { name: /^Åtgärd:/ }).getByLabel('Åtgärd', { exact: true }).fill('Laddstolpar vid simhallen');

    const pia = await signedIn('pia', `/documents/${source}`);
    await pia.getByRole('button', { name: 'Laddstolpar vid simhallen', exact: true }).click();
    const detail = pia.getByRole('region', { name: 'Åtgärd: Laddstolpar vid simhallen' });
    // Pia may only read Luleå's plan, and copy from it.
    expect(await detail.getByLabel('Åtgärd', { exact: true }).isEditable()).toBe(false);
    await detail.getByRole('button', { name: 'Använd i en egen plan…' }).focus();
    await pia.keyboard.press('Enter');
    const form = pia.getByRole('group', { name: 'Använd Laddstolpar vid simhallen i en egen plan' });
    // Only plans she may edit are offered, never the one she is reading.
    const offered = await form.getByLabel('Plan att kopiera till').locator('option').allTextContents();
    expect(offered).toEqual(['Inte vald', 'Piteås klimatplan']);
    expect(await form.getByRole('button', { name: 'Kopiera till planen' }).isDisabled()).toBe(true);
    await form.getByLabel('Plan att kopiera till').focus();
    await pia.keyboard.press('ArrowDown');
    expect(await accessibilityViolations(pia)).toEqual([]);
    await form.scrollIntoViewIfNeeded();
    await screenshot(pia, 'adopt-form');
    await pia.keyboard.press('Tab');
    await pia.keyboard.press('Enter');
    await detail.getByRole('status').filter({ hasText: 'Laddstolpar vid simhallen finns nu i Piteås klimatplan.' }).waitFor({ timeout: 10_000 });
    expect(await form.count()).toBe(0);
    // The form closed under the focus: it is back on the button that opened it.
    expect(await pia.evaluate(() => document.activeElement?.textContent)).toBe('Använd i en egen plan…');

    // Luleå sees who uses the measure, and where (Pia's plan is private: no link to it).
    await lina.reload();
    await lina.getByRole('button', { name: 'Laddstolpar vid simhallen', exact: true }).click();
    const used = lina.getByRole('region', { name: 'Åtgärd: Laddstolpar vid simhallen' }).locator('ul.adopted-by li');
    await used.first().waitFor({ timeout: 10_000 });
    expect(await used.allTextContents()).toEqual([expect.stringMatching(/^Pia Persson, Piteå kommun – hämtad \d{1,2} \w+ \d{4}$/)]);
    expect(await used.getByRole('link').count()).toBe(0);

    // The copy is Pia's own measure, planned, in her plan.
    await detail.getByRole('link', { name: 'Öppna Piteås klimatplan' }).click();
    await expect.poll(() => measureTitles(pia), { timeout: 10_000 }).toEqual(['Laddstolpar vid simhallen']);
    await pia.getByRole('button', { name: 'Laddstolpar vid simhallen', exact: true }).click();
    const copy = pia.getByRole('region', { name: 'Åtgärd: Laddstolpar vid simhallen' });
    expect(await copy.getByRole('combobox', { name: /^Status/ }).locator('option:checked').textContent()).toBe('Planerad');
    expect(await copy.getByLabel('Åtgärd', { exact: true }).isEditable()).toBe(true);

    // A measure found by searching can be copied from the hit; her own plan is not offered for its own measure.
    await pia.goto(`${running.server.url}/documents`);
    const hits = pia.locator('.search-results > li', { hasText: 'Laddstolpar vid simhallen' });
    await expect
      .poll(
        async () => {
          await pia.getByLabel('Sök i nätverkets dokument').fill('simhallen');
          await pia.getByRole('button', { name: 'Sök', exact: true }).click();
          return hits.count();
        },
        { timeout: 10_000 },
      )
      .toBe(2);
    const fromPitea = hits.filter({ hasText: 'i Piteås klimatplan' });
    await fromPitea.getByRole('button', { name: 'Använd i en egen plan…' }).click();
    await fromPitea.getByText('Du har ingen annan handlingsplan som du får redigera.').waitFor();
    const fromLulea = hits.filter({ hasText: 'i Luleås nätverksplan' });
    await fromLulea.getByRole('button', { name: 'Använd i en egen plan…' }).click();
    await fromLulea.getByLabel('Plan att kopiera till').selectOption({ label: 'Piteås klimatplan' });
    expect(await accessibilityViolations(pia)).toEqual([]);
    await fromLulea.getByRole('button', { name: 'Kopiera till planen' }).click();
    await fromLulea.getByRole('status').filter({ hasText: 'Laddstolpar vid simhallen finns nu i Piteås klimatplan.' }).waitFor({ timeout: 10_000 });
    await fromLulea.getByRole('link', { name: 'Öppna Piteås klimatplan' }).click();
    await expect.poll(() => measureTitles(pia), { timeout: 10_000 }).toEqual(['Laddstolpar vid simhallen', 'Laddstolpar vid simhallen']);
    // A measure hit opens its plan with that measure's details shown and focused.
    await pia.goto(`${running.server.url}/documents`);
    await pia.getByLabel('Sök i nätverkets dokument').fill('simhallen');
    await pia.getByRole('button', { name: 'Sök', exact: true }).click();
    await hits.filter({ hasText: 'i Luleås nätverksplan' }).getByRole('link', { name: 'Laddstolpar vid simhallen' }).click();
    const opened = pia.getByRole('heading', { name: 'Åtgärd: Laddstolpar vid simhallen', level: 2 });
    await opened.waitFor({ timeout: 10_000 });
    await expect.poll(() => pia.evaluate(() => document.activeElement?.id)).toBe('measure-detail-heading');
    expect(await pia.getByRole('heading', { name: 'Luleås nätverksplan', level: 1 }).isVisible()).toBe(true);
    await expect.poll(() => new URL(pia.url()).search).toBe('');
    // A measure that is there is never reported missing (not before the server's copy has arrived either).
    expect(await pia.getByText('Åtgärden som länken pekar på finns inte i planen.', { exact: false }).count()).toBe(0);
    // A link to a measure that is not (or no longer) in the plan says so, and opens nothing.
    await pia.goto(`${pia.url()}?measure=00000000-0000-4000-8000-000000000000`);
    await pia.getByRole('status').filter({ hasText: 'Åtgärden som länken pekar på finns inte i planen.' }).waitFor({ timeout: 10_000 });
    expect(await pia.getByRole('heading', { name: /^Åtgärd:/, level: 2 }).count()).toBe(0);
    await expect.poll(() => new URL(pia.url()).search).toBe('');
    await lina.context().close();
    await pia.context().close();
  });

  it('renaming a document: a dialog with the name, the new name live for a colleague; removing it asks first and takes it away from everyone', async () => {
    const id = await created('plan', 'Klimatplan Bodne');
    await api('PATCH', `/documents/${id}`, people.lina.cookie, { visibility: 'network' });
    const [lina, lars] = await bothIn(id);
    const pia = await signedIn('pia', `/documents/${id}`);
    await pia.getByRole('heading', { name: 'Klimatplan Bodne', level: 1 }).waitFor();
    // A reader can neither rename nor remove.
    expect(await pia.getByRole('button', { name: 'Byt namn' }).count()).toBe(0);
    expect(await pia.getByRole('button', { name: 'Ta bort dokumentet Klimatplan Bodne' }).count()).toBe(0);

    await lina.getByRole('button', { name: 'Byt namn' }).click();
    const dialog = lina.getByRole('dialog', { name: 'Byt namn på Klimatplan Bodne' });
    const name = dialog.getByLabel('Namn');
    expect(await name.inputValue()).toBe('Klimatplan Bodne');
    expect(await accessibilityViolations(lina)).toEqual([]);
    await screenshot(lina, 'rename-dialog');
    await name.fill('  ');
    expect(await dialog.getByRole('button', { name: 'Spara namnet' }).isDisabled()).toBe(true);
    await name.fill('Klimatplan Boden');
    await lina.keyboard.press('Enter');
    await lina.getByRole('status').filter({ hasText: 'Dokumentet heter nu Klimatplan Boden.' }).waitFor({ timeout: 10_000 });
    expect(await dialog.count()).toBe(0);
    await lina.getByRole('heading', { name: 'Klimatplan Boden', level: 1 }).waitFor();
    // Focus is back on the button that opened the dialog.
    expect(await lina.evaluate(() => document.activeElement?.textContent)).toBe('Byt namn');
    // The colleague and the reader see the new name without reloading.
    await lars.getByRole('heading', { name: 'Klimatplan Boden', level: 1 }).waitFor({ timeout: 10_000 });
    await pia.getByRole('heading', { name: 'Klimatplan Boden', level: 1 }).waitFor({ timeout: 10_000 });

    // Removing asks first: Cancel keeps the document.
    await lina.getByRole('button', { name: 'Ta bort dokumentet Klimatplan Boden' }).click();
    const confirm = lina.getByRole('alertdialog', { name: 'Ta bort Klimatplan Boden?' });
    await confirm.getByText('Du kan inte ångra det själv.', { exact: false }).waitFor();
    await confirm.getByRole('button', { name: 'Avbryt' }).click();
    expect(await lina.getByRole('heading', { name: 'Klimatplan Boden', level: 1 }).isVisible()).toBe(true);
    await lina.getByRole('button', { name: 'Ta bort dokumentet Klimatplan Boden' }).click();
    await confirm.getByRole('button', { name: 'Ta bort dokumentet' }).click();
    await lina.getByRole('status').filter({ hasText: 'Dokumentet Klimatplan Boden är borttaget.' }).waitFor({ timeout: 10_000 });
    expect(new URL(lina.url()).pathname).toBe('/documents');
    await expect.poll(() => lina.locator('.document-list').getByText('Klimatplan Boden').count(), { timeout: 10_000 }).toBe(0);
    // Said once: not again after a reload.
    await lina.reload();
    await lina.getByRole('heading', { name: 'Dokument', level: 1 }).waitFor();
    await lina.getByRole('status').filter({ hasText: /\d+ dokument/ }).waitFor({ timeout: 10_000 });
    expect(await lina.getByText('Dokumentet Klimatplan Boden är borttaget.').count()).toBe(0);
    // Whoever had it open is told it is gone.
    await lars.getByRole('heading', { name: 'Ingen åtkomst', level: 1 }).waitFor({ timeout: 10_000 });
    await pia.getByRole('heading', { name: 'Ingen åtkomst', level: 1 }).waitFor({ timeout: 10_000 });
    for (const page of [lina, lars, pia]) await page.context().close();
  });

  it('offline: the cut tab keeps working, the other does not see it until the connection returns; the device copy opens without a network; sign-out and revocation clear it', async () => {
    let cut = false;
    /** Holds the server's messages back this long (a slow network on the way back). */
    let serverDelayMs = 0;
    const sockets = new Set<WebSocketRoute>();
    const lina = await signedIn('lina', '/');
    // Let the service worker take control, so the app shell and API reads are cached.
    await lina.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await lina.routeWebSocket(/\/yjs\//, (ws) => {
      if (cut) {
        void ws.close({ code: 1001, reason: 'network cut by the test' });
        return;
      }
      sockets.add(ws);
      const server = ws.connectToServer();
      server.onMessage((message) => {
        if (serverDelayMs === 0) ws.send(message);
        else setTimeout(() => ws.send(message), serverDelayMs);
      });
    });
    await lina.goto(`${running.server.url}/documents/${planId}`);
    await saved(lina);
    const lars = await signedIn('lars', `/documents/${planId}`);
    await saved(lars);
    const summary = (page: Page) => page.getByRole('textbox', { name: 'Sammanfattning' });

    cut = true;
    for (const ws of sockets) await ws.close({ code: 1001, reason: 'network cut by the test' });
    await lina.getByRole('status').filter({ hasText: 'Offline – dina ändringar finns kvar på den här enheten' }).waitFor({ timeout: 10_000 });
    await summary(lina).click();
    await lina.keyboard.press('Control+End');
    await lina.keyboard.type(' Skrivet utan nät.');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await textOf(summary(lars))).not.toContain('Skrivet utan nät.');
    // Meanwhile Lars edits too.
    await summary(lars).click();
    await lars.keyboard.press('Control+End');
    await lars.keyboard.type(' Lars var här.');
    await saved(lars);

    serverDelayMs = 2000;
    cut = false;
    // Connected again, but the server's answer is on its way: not "Saved" yet.
    const status = lina.getByRole('status').filter({ hasText: /Sparat|Sparar/ });
    await status.waitFor({ timeout: 15_000 });
    expect(await status.textContent()).toContain('Sparar…');
    await saved(lina);
    serverDelayMs = 0;
    // "Saved" means the server has it: what was typed offline is there the moment it shows.
    const exported = await fetch(`${running.server.url}/api/documents/${planId}/export?format=md`, { headers: { cookie: people.lina.cookie } });
    expect(await exported.text()).toContain('Skrivet utan nät.');
    await expect.poll(() => textOf(summary(lars)), { timeout: 15_000 }).toContain('Skrivet utan nät.');
    await expect.poll(() => textOf(summary(lina)), { timeout: 15_000 }).toContain('Lars var här.');
    expect(await textOf(summary(lina))).toBe(await textOf(summary(lars)));

    // Reopened with the network cut: the app and the document come from the device.
    const context: BrowserContext = lina.context();
    await context.setOffline(true);
    const reopened = await context.newPage();
    await reopened.goto(`${running.server.url}/documents/${planId}`);
    expect(await reopened.evaluate(() => fetch('/api/health').then(() => 'online', () => 'offline'))).toBe('offline');
    await reopened.getByRole('heading', { name: 'Klimatplan Luleå', level: 1 }).waitFor({ timeout: 15_000 });
    await expect.poll(() => textOf(summary(reopened)), { timeout: 10_000 }).toContain('Skrivet utan nät.');
    await reopened.getByRole('status').filter({ hasText: 'Offline' }).waitFor();
    const kept = () => reopened.evaluate(async () => (await indexedDB.databases()).map((entry) => entry.name ?? '').filter((name) => name.startsWith('samverkan:')));
    expect(await kept()).toContain(`samverkan:${people.lina.id}:${planId}`);
    await context.setOffline(false);

    // Signing out removes every document of the user from the device.
    await reopened.goto(`${running.server.url}/`);
    await reopened.getByRole('button', { name: 'Logga ut' }).click();
    await reopened.getByRole('heading', { name: 'Logga in', exact: true }).waitFor();
    // The first tab still has the plan open, which blocks deleting its database until that tab
    // hears that the session ended (close 4401, at once or when it reconnects) and lets go.
    await expect.poll(kept, { timeout: 10_000 }).toEqual([]);
    // No cached API answer with the user's data is left (the sign-in page itself asks /api/setup again).
    const cached = await reopened.evaluate(async () => (await caches.has('samverkan-api') ? (await (await caches.open('samverkan-api')).keys()).map((request) => new URL(request.url).pathname) : []));
    expect(cached.filter((path) => path.startsWith('/api/documents') || path.startsWith('/api/auth') || path.startsWith('/api/users'))).toEqual([]);
    await context.close();
    await lars.context().close();

    // Access revoked (4404): Pia's copy of the plan leaves her device.
    const pia = await signedIn('pia', `/documents/${planId}`);
    await expect.poll(async () => (await measureTitles(pia)).length, { timeout: 10_000 }).toBe(10);
    const piaKept = () => pia.evaluate(async () => (await indexedDB.databases()).map((entry) => entry.name ?? '').filter((name) => name.startsWith('samverkan:')));
    await expect.poll(piaKept, { timeout: 5000 }).toContain(`samverkan:${people.pia.id}:${planId}`);
    // Lina signed out above: her old session is gone for good; she signs in again.
    const login = await fetch(`${running.server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'lina@test.se', password: PASSWORD }) });
    expect(await fetch(`${running.server.url}/api/auth/me`, { headers: { cookie: people.lina.cookie } }).then((response) => response.status)).toBe(401);
    people.lina.cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
    const shares = (await api('GET', `/documents/${planId}/shares`, people.lina.cookie)).shares as { id: string }[];
    for (const share of shares) await api('DELETE', `/documents/${planId}/shares/${share.id}`, people.lina.cookie);
    await pia.getByRole('heading', { name: 'Ingen åtkomst' }).waitFor({ timeout: 10_000 });
    // A database still open in the closing editor is deleted as soon as its connection closes.
    await expect.poll(piaKept, { timeout: 15_000 }).toEqual([]);
    await pia.context().close();
  }, 120_000);
  it('what was typed offline survives the session ending meanwhile: kept on the device, saved after signing in again', async () => {
    // Lina signed out in the test above: a new session.
    const login = await fetch(`${running.server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'lina@test.se', password: PASSWORD }) });
    people.lina.cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
    let cut = false;
    const sockets = new Set<WebSocketRoute>();
    const lina = await signedIn('lina', '/');
    await lina.routeWebSocket(/\/yjs\//, (ws) => {
      if (cut) {
        void ws.close({ code: 1001, reason: 'network cut by the test' });
        return;
      }
      sockets.add(ws);
      ws.connectToServer();
    });
    await lina.goto(`${running.server.url}/documents/${planId}`);
    await saved(lina);
    const summary = lina.getByRole('textbox', { name: 'Sammanfattning' });
    cut = true;
    for (const ws of sockets) await ws.close({ code: 1001, reason: 'network cut by the test' });
    await lina.getByRole('status').filter({ hasText: 'Offline' }).waitFor({ timeout: 10_000 });
    await summary.click();
    await lina.keyboard.press('Control+End');
    await lina.keyboard.type(' Skrivet innan sessionen tog slut.');
    // The session ends elsewhere (signed out in another browser) while the tab is cut off.
    await api('POST', '/auth/logout', people.lina.cookie);
    cut = false;
    // Reconnecting, the tab hears that the session ended (4401): it says the edit is kept.
    await lina.getByText('Ändringar som inte hann sparas på servern finns kvar på den här enheten.').waitFor({ timeout: 20_000 });
    const kept = () => lina.evaluate(async () => (await indexedDB.databases()).map((entry) => entry.name ?? '').filter((name) => name.startsWith('samverkan:')));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await kept()).toContain(`samverkan:${people.lina.id}:${planId}`);
    expect(await accessibilityViolations(lina)).toEqual([]);

    await lina.getByRole('button', { name: 'Logga in igen' }).click();
    await lina.getByLabel('E-postadress').fill('lina@test.se');
    await lina.getByLabel('Lösenord').fill(PASSWORD);
    await lina.getByRole('button', { name: 'Logga in' }).click();
    await lina.getByRole('button', { name: 'Logga ut' }).waitFor({ timeout: 10_000 });
    await lina.goto(`${running.server.url}/documents/${planId}`);
    await saved(lina);
    // The server has it: an export with the new session shows the sentence.
    const cookie = (await lina.context().cookies()).find((entry) => entry.name === people.lina.cookie.split('=')[0]);
    const exported = await fetch(`${running.server.url}/api/documents/${planId}/export?format=md`, { headers: { cookie: `${cookie?.name}=${cookie?.value}` } });
    expect(exported.status).toBe(200);
    expect(await exported.text()).toContain('Skrivet innan sessionen tog slut.');
    // Saved: the device no longer holds it as unconfirmed, so signing out removes it.
    await lina.goto(`${running.server.url}/`);
    await lina.getByRole('button', { name: 'Logga ut' }).click();
    await lina.getByRole('heading', { name: 'Logga in', exact: true }).waitFor();
    await expect.poll(kept, { timeout: 10_000 }).toEqual([]);
    people.lina.cookie = '';
    await lina.context().close();
  }, 90_000);

  it('after the server is updated while the tab is open, the tab asks to reload and stops writing', async () => {
    const login = await fetch(`${running.server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'lars@test.se', password: PASSWORD }) });
    people.lars.cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
    const lars = await signedIn('lars', `/documents/${planId}`);
    await saved(lars);
    expect(await lars.getByRole('textbox', { name: 'Sammanfattning' }).getAttribute('contenteditable')).toBe('true');
    await running.server.restart({ BUILD_ID: 'build-2' });
    await lars.getByRole('status').filter({ hasText: 'En nyare version finns – ladda om' }).waitFor({ timeout: 20_000 });
    await lars.getByRole('button', { name: 'Ladda om' }).waitFor();
    expect(await lars.getByRole('textbox', { name: 'Sammanfattning' }).getAttribute('contenteditable')).toBe('false');
    expect(await lars.getByRole('button', { name: 'Lägg till åtgärd' }).count()).toBe(0);
    await lars.context().close();
  }, 60_000);
});
