import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../test/tempDir.js';
import { startTestServer } from '../test/testServer.js';
import { DEMO_PASSWORD, DEMO_USERS, NORRBOTTEN_MUNICIPALITIES } from './demoNetwork.js';

const serverRoot = fileURLToPath(new URL('../..', import.meta.url));

function tool(script: string, args: string[], dataDir: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', `src/tools/${script}`, ...args], {
    cwd: serverRoot,
    env: { ...process.env, DATA_DIR: dataDir, MONGODB_URL: '', PUBLIC_URL: 'https://samverkan.example.se', LOG_LEVEL: 'silent' },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('command-line tools', () => {
  const temp = makeTempDir();
  afterAll(() => temp.remove());

  it('npm run demo fills an empty instance once; admin reset-password prints a working single-use link', async () => {
    const demo = tool('demo.ts', [], temp.path);
    expect(demo.stderr).toBe('');
    expect(demo.status).toBe(0);
    expect(demo.stdout).toContain(DEMO_PASSWORD);
    const again = tool('demo.ts', [], temp.path);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('already has users');

    const usage = tool('admin.ts', [], temp.path);
    expect(usage.status).toBe(2);
    const unknown = tool('admin.ts', ['reset-password', 'nobody@example.se'], temp.path);
    expect(unknown.status).toBe(1);
    const admin = DEMO_USERS[0]!;
    const reset = tool('admin.ts', ['reset-password', admin.email.toUpperCase()], temp.path);
    expect(reset.status).toBe(0);
    const url = reset.stdout.match(/https:\/\/samverkan\.example\.se\/reset-password\/([A-Za-z0-9_-]+)/);
    expect(url).not.toBeNull();

    const server = await startTestServer({ dataDir: temp.path, admin: { email: DEMO_USERS[1]!.email, password: DEMO_PASSWORD } });
    try {
      const organisations = await (await fetch(`${server.url}/api/organisations`, { headers: { cookie: server.cookie } })).json() as {
        organisations: { name: string; kind: string }[];
      };
      for (const municipality of NORRBOTTEN_MUNICIPALITIES) expect(organisations.organisations.map((entry) => entry.name)).toContain(municipality);
      expect(organisations.organisations.find((entry) => entry.kind === 'guest')).toBeDefined();
      const post = (path: string, body: unknown) =>
        fetch(`${server.url}/api${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect((await post('/auth/login', { email: DEMO_USERS[1]!.email, password: DEMO_PASSWORD })).status).toBe(200);
      expect((await post(`/password-resets/${url![1]}`, { password: 'Ett-nytt-lösenord-för-Åsa' })).status).toBe(204);
      expect((await post(`/password-resets/${url![1]}`, { password: 'Ett-nytt-lösenord-för-Åsa-2' })).status).toBe(404);
      expect((await post('/auth/login', { email: admin.email, password: 'Ett-nytt-lösenord-för-Åsa' })).status).toBe(200);
      // Sample plans and pilots, one of them a pilot that failed and says why.
      const documents = (await (await fetch(`${server.url}/api/documents`, { headers: { cookie: server.cookie } })).json()) as { documents: { title: string }[] };
      const titles = documents.documents.map((entry) => entry.title);
      expect(titles).toContain('Klimat- och energiplan Luleå 2030');
      expect(titles).toContain('Sensorstyrd gatubelysning');
      expect(titles).not.toContain('Utkast: klimatplan Kiruna'); // Kiruna's private draft
      const search = (await (await fetch(`${server.url}/api/search?q=${encodeURIComponent('frös')}`, { headers: { cookie: server.cookie } })).json()) as {
        results: { documentTitle: string }[];
      };
      expect(search.results.map((result) => result.documentTitle)).toEqual(['Sensorstyrd gatubelysning']);
      const overview = (await (await fetch(`${server.url}/api/overview`, { headers: { cookie: server.cookie } })).json()) as { totals: { measures: number } };
      expect(overview.totals.measures).toBe(5); // Luleå's 3 + Piteå's 2 (Luleå is in Fyrkanten)
      const actions = (await server.store.audit.list(1000)).map((entry) => entry.action);
      expect(actions.filter((action) => action === 'organisation.create')).toHaveLength(NORRBOTTEN_MUNICIPALITIES.length + 2);
    } finally {
      await server.stop({ keepData: true });
    }
  }, 120_000);
});
