import { ActionPlan } from '@samverkan/model';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { type Locale, catalogues } from '../src/i18n/messages.js';
import { accessibilityViolations, screenshot, textsOutsideCatalogue, useServerAndBrowser, VIEWPORT } from './harness.js';

/** Measures of each municipality's plan, imported as CSV (semicolons, Swedish decimal commas). */
const CSV_HEADER = 'title;sector;status;estimatedCo2ReductionT;actualCo2ReductionT;estimatedEnergySavingsMwh;actualEnergySavingsMwh';
const LULEA_CSV = [
  CSV_HEADER,
  'Laddstolpar vid skolor;transport;ongoing;120,5;40;;',
  'Cykelvägar längs E4;transport;planned;80;;;',
  'Solceller på sporthallen;energy_supply;done;35;32,5;400;380',
  'Energieffektiv belysning;buildings;ongoing;12;6;150;60',
].join('\r\n');
const PITEA_CSV = [CSV_HEADER, 'Biogasbussar;transport;planned;300;;;', 'Matavfallsinsamling;waste;done;45;50;;', 'Fjärrvärme från industrin;energy_supply;paused;200;;1200;'].join('\r\n');

/**
 * The network overview with real figures: two municipalities' plans filled through the CSV
 * import and a target with yearly actual values written by a standard Yjs client. The tables
 * after the charts must show exactly those figures, in Swedish and in English; every text
 * outside user content is from the catalogue; axe (all rules) finds nothing.
 */
describe('network overview', () => {
  const running = useServerAndBrowser();
  let adminCookie = '';

  async function call(method: string, path: string, cookie: string, body?: unknown): Promise<Response> {
    const response = await fetch(`${running.server.url}/api${path}`, {
      method,
      headers: { 'content-type': 'application/json', cookie },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    expect(response.status, `${method} ${path}`).toBeLessThan(300);
    return response;
  }
  const json = async (response: Response) => (await response.json()) as Record<string, unknown>;
  const sessionCookie = (response: Response) => response.headers.getSetCookie()[0]!.split(';')[0]!;

  /** A coordinator of a new municipality, with a network-visible plan filled from `csv`. */
  async function municipalityWithPlan(name: string, email: string, csv: string): Promise<{ cookie: string; planId: string }> {
    const organisation = await json(await call('POST', '/organisations', adminCookie, { name, kind: 'municipality' }));
    const invitation = await json(await call('POST', '/invitations', adminCookie, { email, organisationId: organisation.id, role: 'coordinator' }));
    const cookie = sessionCookie(await call('POST', `/invitations/${String(invitation.token)}/accept`, '', { name: `Samordnare ${name}`, password: 'Klimatsamordnare-2026' }));
    const plan = await json(await call('POST', '/documents', cookie, { type: 'plan', title: `Klimatplan ${name}`, visibility: 'network' }));
    const planId = String(plan.id);
    const imported = await json(await call('POST', `/documents/${planId}/import/confirm`, cookie, { format: 'csv', content: Buffer.from(csv).toString('base64') }));
    expect(imported.imported).toBe(csv.split('\r\n').length - 1);
    return { cookie, planId };
  }

  /** Gives the plan's first target a baseline, a target and two yearly actual values, through the standard y-websocket provider. */
  async function fillFirstTarget(planId: string, cookie: string): Promise<void> {
    const SocketWithCookie = class extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { headers: { cookie } });
      }
    };
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(`${running.server.url.replace('http', 'ws')}/yjs`, planId, doc, {
      WebSocketPolyfill: SocketWithCookie as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    });
    try {
      await poll(() => provider.synced, 'the Yjs client to sync');
      doc.transact(() => {
        const target = new ActionPlan(doc).targets[0]!;
        target.update({ baselineYear: 2020, baselineValue: 200_000, targetYear: 2030, targetValue: 100_000 });
        target.setActual(2022, 185_000);
        target.setActual(2024, 150_000);
      });
      // The server extracts the figures a moment after the edit: wait until the overview has them.
      await poll(async () => {
        const overview = (await json(await call('GET', '/overview', adminCookie))) as { targets: { documentId: string; progress: unknown[] }[] };
        return overview.targets.some((target) => target.documentId === planId && target.progress.length === 2);
      }, 'the target to reach the overview');
    } finally {
      provider.destroy();
      doc.destroy();
    }
  }

  beforeAll(async () => {
    adminCookie = sessionCookie(
      await call('POST', '/setup', '', {
        networkName: 'Norrbottens energinätverk',
        organisationName: 'Energikontor Norr',
        name: 'Åsa Admin',
        email: 'asa@energikontor.test',
        password: 'Isbrytare-i-Luleå-2026',
      }),
    );
    const lulea = await municipalityWithPlan('Luleå kommun', 'lars@lulea.test', LULEA_CSV);
    await municipalityWithPlan('Piteå kommun', 'pia@pitea.test', PITEA_CSV);
    await poll(async () => ((await json(await call('GET', '/overview', adminCookie))) as { totals: { measures: number } }).totals.measures === 7, 'the measures to reach the overview');
    await fillFirstTarget(lulea.planId, lulea.cookie);
  });

  /** The text of every row of a table (header and data cells), whitespace collapsed. */
  async function tableRows(page: Page, caption: string): Promise<string[][]> {
    const table = page.locator('table', { has: page.locator('caption', { hasText: caption }) });
    await table.waitFor();
    return table.locator('tr').evaluateAll((rows) => rows.map((row) => Array.from(row.children, (cell) => (cell.textContent ?? '').replace(/\s+/g, ' ').trim())));
  }

  async function checkLanguageAndAxe(page: Page, locale: Locale): Promise<void> {
    expect(await textsOutsideCatalogue(page, catalogues[locale]), `overview (${locale}): texts outside the catalogue`).toEqual([]);
    expect((await textsOutsideCatalogue(page, catalogues[locale === 'sv' ? 'en' : 'sv'])).length, 'the walk sees the interface').toBeGreaterThan(0);
    expect(await accessibilityViolations(page), `overview (${locale}): axe`).toEqual([]);
  }

  it('shows the figures of the plans in charts and in tables, in Swedish and English', async () => {
    const context = await running.browser.newContext({ viewport: VIEWPORT });
    const [name, value] = adminCookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: running.server.url }]);
    const page = await context.newPage();
    await page.goto(`${running.server.url}/overview`);
    await page.getByRole('heading', { name: 'Nätverksöversikt', level: 1 }).waitFor();
    // Numbers as Intl writes them in each language (Swedish groups with a no-break space).
    const sv = (figure: number) => new Intl.NumberFormat('sv', { maximumFractionDigits: 1 }).format(figure).replace(/\s+/g, ' ');
    const en = (figure: number) => new Intl.NumberFormat('en', { maximumFractionDigits: 1 }).format(figure);

    await page.getByText('7 åtgärder', { exact: true }).waitFor();
    expect(await tableRows(page, 'Antal åtgärder per sektor och status')).toEqual([
      ['Sektor', 'Planerad', 'Pågående', 'Genomförd', 'Pausad', 'Totalt'],
      ['Transporter', '2', '1', '0', '0', '3'],
      ['Byggnader', '0', '1', '0', '0', '1'],
      ['Energiförsörjning', '0', '0', '1', '1', '2'],
      ['Avfall', '0', '0', '1', '0', '1'],
    ]);
    expect(await tableRows(page, 'Förväntad och uppnådd effekt av åtgärderna per organisation')).toEqual([
      ['Organisation', 'Åtgärder', 'Förväntad minskning (t CO₂e/år)', 'Uppnådd minskning (t CO₂e/år)', 'Förväntad energibesparing (MWh/år)', 'Uppnådd energibesparing (MWh/år)'],
      ['Luleå kommun', '4', sv(247.5), sv(78.5), sv(550), sv(440)],
      ['Piteå kommun', '3', sv(545), sv(50), sv(1200), '0'],
      ['Hela nätverket', '7', sv(792.5), sv(128.5), sv(1750), sv(440)],
    ]);
    expect(await tableRows(page, 'Utfall och bana per år')).toEqual([
      ['År', 'Utfall', 'Banan', 'I fas med banan?'],
      ['2020', 'Inget värde', sv(200_000), 'Inget värde'],
      ['2022', sv(185_000), sv(180_000), 'Nej'],
      ['2024', sv(150_000), sv(160_000), 'Ja'],
      ['2030', 'Inget värde', sv(100_000), 'Inget värde'],
    ]);
    // Luleå's second target and Piteå's two have no figures yet.
    await page.getByText('3 mål till saknar basår, målvärde och utfall och visas inte.').waitFor();

    // One municipality at a time: the table follows the choice.
    await page.getByLabel('Visa för').selectOption({ label: 'Piteå kommun' });
    expect(await tableRows(page, 'Antal åtgärder per sektor och status')).toEqual([
      ['Sektor', 'Planerad', 'Genomförd', 'Pausad', 'Totalt'],
      ['Transporter', '1', '0', '0', '1'],
      ['Energiförsörjning', '0', '0', '1', '1'],
      ['Avfall', '0', '1', '0', '1'],
    ]);
    await page.getByLabel('Visa för').selectOption({ label: 'Hela nätverket' });
    // Charts are images named for assistive tech, drawn with recharts.
    expect(await page.getByRole('img', { name: catalogues.sv.overviewMeasuresChart }).locator('svg.recharts-surface').count()).toBe(1);
    await checkLanguageAndAxe(page, 'sv');
    await screenshot(page, 'overview', { readme: true });

    await page.getByRole('button', { name: 'In English' }).click();
    await page.getByRole('heading', { name: 'Network overview', level: 1 }).waitFor();
    expect(await tableRows(page, 'Expected and achieved impact of the measures per organisation')).toEqual([
      ['Organisation', 'Measures', 'Expected reduction (t CO₂e/year)', 'Reduction achieved (t CO₂e/year)', 'Expected energy savings (MWh/year)', 'Energy savings achieved (MWh/year)'],
      ['Luleå kommun', '4', en(247.5), en(78.5), en(550), en(440)],
      ['Piteå kommun', '3', en(545), en(50), en(1200), '0'],
      ['The whole network', '7', en(792.5), en(128.5), en(1750), en(440)],
    ]);
    expect((await tableRows(page, 'Actual value and trajectory per year'))[2]).toEqual(['2022', en(185_000), en(180_000), 'No']);
    await checkLanguageAndAxe(page, 'en');
    await page.getByRole('button', { name: 'På svenska' }).click();
    await page.getByRole('heading', { name: 'Nätverksöversikt', level: 1 }).waitFor();
    await context.close();
  });
});

/** Polls `condition` every 100 ms for up to 15 s. */
async function poll(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
