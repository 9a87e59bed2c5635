import { ActionPlan, fragmentText } from '@samverkan/model';
import { MAX_IMPORT_DESCRIPTION_CHARS, MAX_IMPORT_DESCRIPTION_LINES } from '../commands/measureImporter.js';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standardClient } from '../test/clients.js';
import { type TestServer, startTestServer } from '../test/testServer.js';

const CSV = [
  'Titel;Sektor;Status;Kostnad (SEK);Start;Agenda 2030;Beskrivning',
  'Laddstolpar vid skolor;Transporter;pågående;1 250 000;2026-03-01;7, 11;Tjugo laddpunkter',
  ';Byggnader;planerad;;;;Saknar titel',
  'Solceller på sporthallen;Energiförsörjning;klar;450000,50;2025-05-01;7;',
  'Biogasbussar;Rymden;planerad;;;;',
  'Energikartläggning;Byggnader;planerad;tusen kronor;2026-13-45;18;',
].join('\r\n');

describe('importing measures from CSV and XLSX', () => {
  let server: TestServer;
  let plan = '';

  async function post(path: string, body: unknown) {
    const response = await fetch(`${server.url}/api${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: server.cookie },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  beforeAll(async () => {
    server = await startTestServer();
    plan = (await server.createDocument('Importplan', 'plan')).id;
  });
  afterAll(async () => {
    await server.stop();
  });

  it('previews a CSV exactly (suggested mapping, good rows, rejection report) and writes nothing', async () => {
    const preview = await post(`/documents/${plan}/import/preview`, { format: 'csv', content: Buffer.from(CSV).toString('base64') });
    expect(preview.status).toBe(200);
    expect(preview.body.mapping).toEqual({
      Titel: 'title',
      Sektor: 'sector',
      Status: 'status',
      'Kostnad (SEK)': 'implementationCost',
      Start: 'implementationStart',
      'Agenda 2030': 'sdgs',
      Beskrivning: 'description',
    });
    expect(preview.body.measures).toEqual([
      {
        row: 2,
        fields: { title: 'Laddstolpar vid skolor', sector: 'transport', status: 'ongoing', implementationCost: 1_250_000, implementationStart: '2026-03-01' },
        sdgs: [7, 11],
        description: 'Tjugo laddpunkter',
      },
      {
        row: 4,
        fields: { title: 'Solceller på sporthallen', sector: 'energy_supply', status: 'done', implementationCost: 450_000.5, implementationStart: '2025-05-01' },
        sdgs: [7],
        description: '',
      },
    ]);
    expect(preview.body.rejected).toEqual([
      { row: 3, reasons: ['Titel saknas / the title is missing'] },
      { row: 5, reasons: ['Sektor: okänd sektor "Rymden" / unknown sector'] },
      {
        row: 6,
        reasons: [
          'Kostnad (SEK): "tusen kronor" är inget tal / is not a number',
          'Start: "2026-13-45" är inget datum ÅÅÅÅ-MM-DD / is not a date YYYY-MM-DD',
          'Agenda 2030: Agenda 2030-mål är 1–17 / goals are 1–17',
        ],
      },
    ]);
    const client = standardClient(server, plan);
    await client.synced();
    expect(new ActionPlan(client.doc).measures).toHaveLength(0);
    client.destroy();
  });

  it('confirm writes exactly the good rows; an XLSX with its own mapping works the same way', async () => {
    const confirmed = await post(`/documents/${plan}/import/confirm`, { format: 'csv', content: Buffer.from(CSV).toString('base64') });
    expect(confirmed.status).toBe(201);
    expect(confirmed.body.imported).toBe(2);

    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Åtgärder');
    sheet.addRow(['Namn', 'Område', 'CO2 (t/år)']);
    sheet.addRow(['Fjärrvärme från industrin', 'energy_supply', 1200]);
    sheet.addRow(['Utan sektor', 'vad som helst', 'mycket']);
    const xlsx = Buffer.from(await workbook.xlsx.writeBuffer()).toString('base64');
    const mapping = { Namn: 'title', Område: 'sector', 'CO2 (t/år)': 'estimatedCo2ReductionT' };
    const preview = await post(`/documents/${plan}/import/preview`, { format: 'xlsx', content: xlsx, mapping });
    expect(preview.body.measures).toEqual([{ row: 2, fields: { title: 'Fjärrvärme från industrin', sector: 'energy_supply', estimatedCo2ReductionT: 1200 }, sdgs: [], description: '' }]);
    expect(preview.body.rejected).toEqual([
      { row: 3, reasons: ['Område: okänd sektor "vad som helst" / unknown sector', 'CO2 (t/år): "mycket" är inget tal / is not a number'] },
    ]);
    expect((await post(`/documents/${plan}/import/confirm`, { format: 'xlsx', content: xlsx, mapping })).body.imported).toBe(1);

    const client = standardClient(server, plan);
    await client.synced();
    const measures = new ActionPlan(client.doc).measures;
    expect(measures.map((measure) => measure.fields.title)).toEqual(['Laddstolpar vid skolor', 'Solceller på sporthallen', 'Fjärrvärme från industrin']);
    expect(measures[0]!.sdgs).toEqual([7, 11]);
    expect(fragmentText(measures[0]!.description)).toBe('Tjugo laddpunkter');
    client.destroy();
  });

  it('rows that no field could hold are refused with a reason, never a 500: a 400-digit number, names every object inherits, descriptions too long', async () => {
    const own = (await server.createDocument('Importplan 2', 'plan')).id;
    // Three descriptions of 9,000 short lines: the third goes over the lines of one import.
    const lineCount = 9000;
    expect(3 * lineCount).toBeGreaterThan(MAX_IMPORT_DESCRIPTION_LINES);
    expect(2 * lineCount).toBeLessThanOrEqual(MAX_IMPORT_DESCRIPTION_LINES);
    const manyLines = Array.from({ length: lineCount }, () => 'x').join('\n');
    const quote = (text: string) => `"${text}"`;
    const csv = [
      'Titel;Kostnad (SEK);Sektor;Status;constructor;__proto__;Beskrivning',
      `Enorm kostnad;${'9'.repeat(400)};;;;;`,
      'Ärvd sektor;;constructor;toString;x;y;',
      `Lång beskrivning;;;;;;${'å'.repeat(MAX_IMPORT_DESCRIPTION_CHARS + 1)}`,
      `Många rader 1;;;;;;${quote(manyLines)}`,
      `Många rader 2;;;;;;${quote(manyLines)}`,
      `Många rader 3;;;;;;${quote(manyLines)}`,
      'Vanlig åtgärd;1 000;Byggnader;planerad;x;y;En rad',
    ].join('\r\n');
    const content = Buffer.from(csv).toString('base64');
    const preview = await post(`/documents/${own}/import/preview`, { format: 'csv', content });
    expect(preview.status).toBe(200);
    // Cells with line breaks count as one row each: every row is read (27,000 lines in all).
    expect(preview.body.notReadAfterRow).toBeNull();
    // Headers named like what every object inherits are not suggested as fields.
    expect(Object.keys(preview.body.mapping as object).sort()).toEqual(['Beskrivning', 'Kostnad (SEK)', 'Sektor', 'Status', 'Titel']);
    const rejected = preview.body.rejected as { row: number; reasons: string[] }[];
    expect(rejected.map((entry) => entry.row)).toEqual([2, 3, 4, 7]);
    expect(rejected[0]!.reasons).toEqual([`Kostnad (SEK): "${'9'.repeat(400)}" är inget tal / is not a number`]);
    expect(rejected[1]!.reasons).toEqual(['Sektor: okänd sektor "constructor" / unknown sector', 'Status: okänd status "toString" / unknown status']);
    expect(rejected[2]!.reasons[0]).toContain(`longer than ${MAX_IMPORT_DESCRIPTION_CHARS} characters`);
    expect(rejected[3]!.reasons[0]).toContain(`more than ${MAX_IMPORT_DESCRIPTION_LINES} lines in all`);
    // An explicit mapping that names such a header maps nothing through the prototype either.
    const mapped = await post(`/documents/${own}/import/preview`, { format: 'csv', content, mapping: JSON.parse('{"Titel": "title", "__proto__": "owner"}') as object });
    expect(mapped.status).toBe(200);
    expect((mapped.body.measures as { fields: object }[]).map((measure) => Object.keys(measure.fields))).toEqual(Array.from({ length: 7 }, () => ['title']));
    const confirmed = await post(`/documents/${own}/import/confirm`, { format: 'csv', content });
    expect(confirmed.status).toBe(201);
    expect(confirmed.body.imported).toBe(3);
    const client = standardClient(server, own);
    await client.synced();
    const measures = new ActionPlan(client.doc).measures;
    expect(measures.map((measure) => measure.fields.title)).toEqual(['Många rader 1', 'Många rader 2', 'Vanlig åtgärd']);
    expect(measures[0]!.description.length).toBe(lineCount);
    client.destroy();
  }, 30_000);

  it('takes a file of several megabytes (the 14 MB body limit of imports, not the 1 MB of the rest of the API)', async () => {
    // About 3 MB of CSV (4 MB as base64): more rows than are read, each a valid measure.
    const rows = Array.from({ length: 30_000 }, (_, index) => `Åtgärd nummer ${index} med en längre titel för att fylla filen;Byggnader;planerad;1000;2026-01-01;7;Beskrivning ${index}`);
    const big = [CSV.split('\r\n')[0], ...rows].join('\r\n');
    expect(big.length).toBeGreaterThan(3_000_000);
    const preview = await post(`/documents/${plan}/import/preview`, { format: 'csv', content: Buffer.from(big).toString('base64') });
    expect(preview.status).toBe(200);
    expect((preview.body.measures as unknown[]).length).toBe(5000);
    // The rows after those are not read, and the preview says so (row 5001 is the last read:
    // the header is row 1).
    expect(preview.body.notReadAfterRow).toBe(5001);
    // The same in a workbook: 5,001 rows below the header.
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Åtgärder');
    sheet.addRow(['Titel']);
    for (let row = 0; row < 5001; row++) sheet.addRow([`Åtgärd ${row}`]);
    const xlsx = Buffer.from(await workbook.xlsx.writeBuffer()).toString('base64');
    const sheetPreview = await post(`/documents/${plan}/import/preview`, { format: 'xlsx', content: xlsx });
    expect((sheetPreview.body.measures as unknown[]).length).toBe(5000);
    expect(sheetPreview.body.notReadAfterRow).toBe(5001);
    const exact = await post(`/documents/${plan}/import/preview`, { format: 'csv', content: Buffer.from(['Titel', ...Array.from({ length: 5000 }, (_, row) => `Åtgärd ${row}`)].join('\n')).toString('base64') });
    expect(exact.body.notReadAfterRow).toBeNull();
  }, 30_000);

  it('refuses an XLSX that unpacks to more than 20 MB (a zip bomb) with 400 before exceljs reads it, and stays up', async () => {
    const { default: JSZip } = await import('jszip');
    const bomb = new JSZip();
    bomb.file('[Content_Types].xml', '<?xml version="1.0"?><Types/>');
    // 40 MB of the same byte: about 40 kB deflated.
    bomb.file('xl/worksheets/sheet1.xml', Buffer.alloc(40 * 1024 * 1024, 0x30));
    const content = await bomb.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
    expect(content.byteLength).toBeLessThan(1024 * 1024);
    const refused = await post(`/documents/${plan}/import/preview`, { format: 'xlsx', content: content.toString('base64') });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('the file unpacks to more than 20 MB');
    // The server is still there and imports a real file.
    const preview = await post(`/documents/${plan}/import/preview`, { format: 'csv', content: Buffer.from(CSV).toString('base64') });
    expect(preview.status).toBe(200);
  });

  it('refuses bad files and mappings clearly, and needs edit access', async () => {
    expect((await post(`/documents/${plan}/import/preview`, { format: 'xlsx', content: Buffer.from('inte excel').toString('base64') })).status).toBe(400);
    expect((await post(`/documents/${plan}/import/preview`, { format: 'csv', content: Buffer.from(CSV).toString('base64'), mapping: { Titel: 'owner' } })).status).toBe(400);
    expect((await post(`/documents/nosuchplan/import/preview`, { format: 'csv', content: 'eA==' })).status).toBe(404);
  });

  it('refuses a table with more columns than a measures table could have at once (400), before the work per row and column', async () => {
    // A header of 300,000 columns over 5,000 rows: 1.5·10⁹ cells to look at.
    const csv = `${','.repeat(300_000)}\n${'x\n'.repeat(5000)}`;
    const started = Date.now();
    const wide = await post(`/documents/${plan}/import/preview`, { format: 'csv', content: Buffer.from(csv).toString('base64') });
    expect(wide.status).toBe(400);
    expect((wide.body.error as { message: string }).message).toContain('300001 columns; at most 200');
    // A sheet whose first row reaches the last column (XFD), over 2,000 rows.
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Åtgärder');
    sheet.getCell('A1').value = 'Titel';
    sheet.getCell('XFD1').value = 'sist';
    for (let row = 2; row <= 2001; row++) sheet.getCell(`A${row}`).value = `Åtgärd ${row}`;
    const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
    const widest = await post(`/documents/${plan}/import/preview`, { format: 'xlsx', content: xlsx.toString('base64') });
    expect(widest.status).toBe(400);
    expect((widest.body.error as { message: string }).message).toContain('16384 columns; at most 200');
    expect(Date.now() - started).toBeLessThan(20_000);
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  }, 30_000);
});
