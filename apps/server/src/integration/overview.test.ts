import { ActionPlan, PilotLog } from '@samverkan/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRequest, sessionCookieOf, standardClient } from '../test/clients.js';
import { type TestServer, startTestServer } from '../test/testServer.js';

interface Overview {
  totals: { measures: number; estimatedCo2ReductionT: number; actualCo2ReductionT: number; estimatedEnergySavingsMwh: number; actualEnergySavingsMwh: number };
  measures: { organisationId: string; sector: string; status: string; measures: number; estimatedCo2ReductionT: number }[];
  targets: { documentId: string; progress: { year: number; actual: number; trajectory: number; onTrack: boolean }[] }[];
}

describe('network overview', () => {
  let server: TestServer;
  const people = new Map<string, { cookie: string; organisationId: string }>();

  const api = (method: string, path: string, cookie: string, body?: unknown) => apiRequest(server.url, method, path, cookie, body);

  async function municipality(name: string): Promise<void> {
    const organisation = await api('POST', '/organisations', server.cookie, { name });
    const invitation = await api('POST', '/invitations', server.cookie, { email: `klimat@${name.toLowerCase()}.test`, organisationId: organisation.body.id, role: 'coordinator' });
    const accepted = await fetch(`${server.url}/api/invitations/${String(invitation.body.token)}/accept`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name, password: 'Gemensamt-lösenord-för-test' }),
    });
    people.set(name, { cookie: sessionCookieOf(accepted), organisationId: String(organisation.body.id) });
  }

  /** A plan with measures and one target, edited live like a user would. */
  async function plan(owner: string, visibility: string, measures: { sector: string; status: string; co2: number; actualCo2?: number; mwh?: number }[]) {
    const person = people.get(owner)!;
    const created = await api('POST', '/documents', person.cookie, { type: 'plan', title: `Plan ${owner}`, visibility });
    const id = String(created.body.id);
    const client = standardClient({ wsUrl: server.wsUrl, cookie: person.cookie }, id);
    await client.synced();
    const model = new ActionPlan(client.doc);
    for (const measure of measures) {
      model.addMeasure({
        title: `${measure.sector} ${measure.status}`,
        sector: measure.sector as never,
        status: measure.status as never,
        estimatedCo2ReductionT: measure.co2,
        actualCo2ReductionT: measure.actualCo2 ?? null,
        estimatedEnergySavingsMwh: measure.mwh ?? null,
      });
    }
    const target = model.targets[0]!;
    target.update({ baselineYear: 2020, baselineValue: 100, targetYear: 2030, targetValue: 50 });
    target.setActual(2024, 75); // trajectory 80 → on track
    target.setActual(2026, 75); // trajectory 70 → behind
    client.destroy();
    return id;
  }

  beforeAll(async () => {
    server = await startTestServer({ start: { searchIndexDelayMs: 100 } });
    for (const name of ['Boden', 'Kalix', 'Pajala']) await municipality(name);
  });
  afterAll(async () => {
    await server.stop();
  });

  it('totals equal the hand-computed table, and private plans of others contribute nothing', async () => {
    const boden = await plan('Boden', 'network', [
      { sector: 'transport', status: 'ongoing', co2: 100, actualCo2: 40, mwh: 10 },
      { sector: 'transport', status: 'ongoing', co2: 50 },
      { sector: 'buildings', status: 'done', co2: 30, actualCo2: 35 },
    ]);
    const kalix = await plan('Kalix', 'network', [{ sector: 'transport', status: 'planned', co2: 20, mwh: 5 }]);
    const pajala = await plan('Pajala', 'private', [{ sector: 'waste', status: 'ongoing', co2: 999, actualCo2: 999 }]);
    const viewer = people.get('Kalix')!.cookie;
    let overview = (await api('GET', '/overview', viewer)).body as unknown as Overview;
    const deadline = Date.now() + 10_000;
    while (overview.totals.measures < 4 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      overview = (await api('GET', '/overview', viewer)).body as unknown as Overview;
    }
    // Hand-computed over the two network plans Kalix may read (Pajala's private plan excluded):
    expect(overview.totals).toEqual({ measures: 4, estimatedCo2ReductionT: 200, actualCo2ReductionT: 75, estimatedEnergySavingsMwh: 15, actualEnergySavingsMwh: 0 });
    const cell = (organisation: string, sector: string, status: string) =>
      overview.measures.find((entry) => entry.organisationId === people.get(organisation)!.organisationId && entry.sector === sector && entry.status === status);
    expect(cell('Boden', 'transport', 'ongoing')).toMatchObject({ measures: 2, estimatedCo2ReductionT: 150 });
    expect(cell('Boden', 'buildings', 'done')).toMatchObject({ measures: 1, estimatedCo2ReductionT: 30 });
    expect(cell('Kalix', 'transport', 'planned')).toMatchObject({ measures: 1, estimatedCo2ReductionT: 20 });
    expect(overview.measures).toHaveLength(3);
    // Each plan has the template's two targets; the first one carries the figures.
    expect([...new Set(overview.targets.map((target) => target.documentId))].sort()).toEqual([boden, kalix].sort());
    expect(overview.targets.filter((target) => target.progress.length > 0)).toHaveLength(2);
    expect(overview.targets.find((target) => target.progress.length > 0)!.progress).toEqual([
      { year: 2024, actual: 75, trajectory: 80, onTrack: true },
      { year: 2026, actual: 75, trajectory: 70, onTrack: false },
    ]);
    expect(JSON.stringify(overview)).not.toContain(pajala);
    // Pajala itself sees its own plan.
    let own = (await api('GET', '/overview', people.get('Pajala')!.cookie)).body as unknown as Overview;
    while (own.totals.measures < 5 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      own = (await api('GET', '/overview', people.get('Pajala')!.cookie)).body as unknown as Overview;
    }
    expect(own.totals.measures).toBe(5);
    expect(own.totals.actualCo2ReductionT).toBe(75 + 999);
    // The catalogue keeps who contributed (user ids), measured from the edits over the socket.
    const facts = JSON.parse((await server.store.documents.getFacts([boden])).get(boden)!) as { contributorIds: string[]; measures: { sdgs: number[] }[] };
    const bodenUser = ((await api('GET', '/auth/me', people.get('Boden')!.cookie)).body.user as { id: string }).id;
    expect(facts.contributorIds).toEqual([bodenUser]);
    expect(facts.measures.map((measure) => measure.sdgs)).toEqual([[], [], []]);
  });
  it('the document list filters by type, organisation, sector, status and pilot outcome (only among readable documents)', async () => {
    const kalix = people.get('Kalix')!;
    const pilot = await api('POST', '/documents', kalix.cookie, { type: 'pilot', title: 'Pilot Kalix', visibility: 'network' });
    const client = standardClient({ wsUrl: server.wsUrl, cookie: kalix.cookie }, String(pilot.body.id));
    await client.synced();
    new PilotLog(client.doc).update({ sector: 'transport', status: 'completed', recommendation: 'stop' });
    client.destroy();
    const viewer = people.get('Boden')!.cookie;
    const titles = async (query: string) =>
      ((await api('GET', `/documents?${query}`, viewer)).body.documents as { title: string }[]).map((entry) => entry.title).sort();
    const deadline = Date.now() + 10_000;
    while ((await titles('outcome=stop')).length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await titles('outcome=stop')).toEqual(['Pilot Kalix']);
    expect(await titles('outcome=adopt')).toEqual([]);
    expect(await titles('type=pilot')).toEqual(['Pilot Kalix']);
    expect(await titles('sector=transport')).toEqual(['Pilot Kalix', 'Plan Boden', 'Plan Kalix']);
    expect(await titles('sector=buildings&status=done')).toEqual(['Plan Boden']);
    // sector and status must hold for the same measure: Boden has no ongoing buildings measure.
    expect(await titles('sector=buildings&status=ongoing')).toEqual([]);
    expect(await titles(`organisation=${kalix.organisationId}`)).toEqual(['Pilot Kalix', 'Plan Kalix']);
    expect(await titles('type=plan&sector=transport&status=planned')).toEqual(['Plan Kalix']);
    // Pajala's private plan matches sector=waste but Boden may not read it.
    expect(await titles('sector=waste')).toEqual([]);
    const bad = await api('GET', '/documents?outcome=maybe', viewer);
    expect(bad.status).toBe(400);
    expect((bad.body.error as { id: string }).id).toBe('validation_error');
  });
  it('a damaged or older facts row counts as no figures: the overview and the filtered list still answer', async () => {
    const kalix = people.get('Kalix')!;
    const viewer = people.get('Boden')!.cookie;
    const before = (await api('GET', '/overview', viewer)).body as unknown as Overview;
    const broken = String((await api('POST', '/documents', kalix.cookie, { type: 'plan', title: 'Trasig', visibility: 'network' })).body.id);
    const older = String((await api('POST', '/documents', kalix.cookie, { type: 'plan', title: 'Äldre', visibility: 'network' })).body.id);
    await server.store.documents.setFacts(broken, '{"measures": [');
    // An older row: no targets list, a measure that is not an object, a target without actuals.
    await server.store.documents.setFacts(older, JSON.stringify({ measures: [7, { id: 'm', sector: 'waste', status: 'ongoing', estimatedCo2ReductionT: 3 }] }));
    const overview = await api('GET', '/overview', viewer);
    expect(overview.status).toBe(200);
    const body = overview.body as unknown as Overview;
    expect(body.totals.measures).toBe(before.totals.measures + 1);
    expect(body.totals.estimatedCo2ReductionT).toBe(before.totals.estimatedCo2ReductionT + 3);
    const list = await api('GET', '/documents?sector=waste', viewer);
    expect(list.status).toBe(200);
    expect((list.body.documents as { title: string }[]).map((entry) => entry.title)).toEqual(['Äldre']);
    await server.store.documents.setFacts(older, JSON.stringify({ measures: [], targets: [{ id: 't', indicator: 'CO2', unit: 't', baselineYear: null, baselineValue: null, targetYear: null, targetValue: null }] }));
    const withTarget = await api('GET', '/overview', viewer);
    expect(withTarget.status).toBe(200);
    expect((withTarget.body as unknown as Overview).targets.find((target) => target.documentId === older)?.progress).toEqual([]);
  });
});
