import { ActionPlan, PilotLog, fragmentText, setParagraphs } from '@samverkan/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRequest, sessionCookieOf, standardClient, waitFor } from '../test/clients.js';
import { type TestServer, startTestServer } from '../test/testServer.js';

describe('adopting a measure or a pilot recommendation', () => {
  let server: TestServer;
  const people = new Map<string, string>();

  const api = (method: string, path: string, cookie: string, body?: unknown) => apiRequest(server.url, method, path, cookie, body);

  async function person(name: string): Promise<string> {
    const organisation = await api('POST', '/organisations', server.cookie, { name });
    const invitation = await api('POST', '/invitations', server.cookie, { email: `${name.toLowerCase()}@adopt.test`, organisationId: organisation.body.id, role: 'coordinator' });
    const accepted = await fetch(`${server.url}/api/invitations/${String(invitation.body.token)}/accept`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name, password: 'Gemensamt-lösenord-för-test' }),
    });
    const cookie = sessionCookieOf(accepted);
    people.set(name, cookie);
    return cookie;
  }

  beforeAll(async () => {
    server = await startTestServer();
    await person('Lulea');
    await person('Gallivare');
    await person('Arjeplog');
  });
  afterAll(async () => {
    await server.stop();
  });

  it('copies a measure into the adopter’s plan; the copy is independent; the source lists the adopter; 403/404 on the target', async () => {
    const lulea = people.get('Lulea')!;
    const gallivare = people.get('Gallivare')!;
    const arjeplog = people.get('Arjeplog')!;
    const source = String((await api('POST', '/documents', lulea, { type: 'plan', title: 'Luleås plan', visibility: 'network' })).body.id);
    const sourceClient = standardClient({ wsUrl: server.wsUrl, cookie: lulea }, source);
    await sourceClient.synced();
    const sourcePlan = new ActionPlan(sourceClient.doc);
    const measure = sourcePlan.addMeasure({ title: 'Solceller på skolor', sector: 'energy_supply', status: 'done', estimatedCo2ReductionT: 40, actualCo2ReductionT: 38 });
    setParagraphs(measure.description, ['Tio skolor, 900 kW.']);
    measure.setSdgs([7, 13]);
    await waitFor(() => server.store.commitQueueLength() === 0, 'commit');
    await new Promise((resolve) => setTimeout(resolve, 100));

    const target = String((await api('POST', '/documents', gallivare, { type: 'plan', title: 'Gällivares plan' })).body.id);
    const adopted = await api('POST', `/documents/${source}/adopt`, gallivare, { measureId: measure.id, targetPlanId: target });
    expect(adopted.status).toBe(201);
    const targetItemId = String(adopted.body.targetItemId);

    const targetClient = standardClient({ wsUrl: server.wsUrl, cookie: gallivare }, target);
    await targetClient.synced();
    const copy = new ActionPlan(targetClient.doc).measure(targetItemId)!;
    expect(copy.fields).toMatchObject({ title: 'Solceller på skolor', sector: 'energy_supply', status: 'planned', estimatedCo2ReductionT: 40, actualCo2ReductionT: null });
    expect(fragmentText(copy.description)).toBe('Tio skolor, 900 kW.');
    expect(copy.sdgs).toEqual([7, 13]);

    // Independent from then on, both ways.
    sourcePlan.measure(measure.id)!.update({ title: 'Solceller på alla skolor' });
    copy.update({ title: 'Solceller i Gällivare' });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(new ActionPlan(targetClient.doc).measure(targetItemId)!.fields.title).toBe('Solceller i Gällivare');
    expect(sourcePlan.measure(measure.id)!.fields.title).toBe('Solceller på alla skolor');

    // The source lists the adopter (its editors wrote nothing).
    const adoptions = await api('GET', `/documents/${source}/adoptions`, lulea);
    expect(adoptions.body.adoptions).toEqual([
      expect.objectContaining({ sourceItemId: measure.id, adopterName: 'Gallivare' }),
    ]);
    expect(JSON.stringify(adoptions.body)).not.toContain(target); // Luleå may not read Gällivare's private plan

    // Target checks: read but not edit → 403; cannot read → 404.
    const readable = String((await api('POST', '/documents', lulea, { type: 'plan', title: 'Läsbar plan', visibility: 'network' })).body.id);
    expect((await api('POST', `/documents/${source}/adopt`, arjeplog, { measureId: measure.id, targetPlanId: readable })).status).toBe(403);
    expect((await api('POST', `/documents/${source}/adopt`, arjeplog, { measureId: measure.id, targetPlanId: target })).status).toBe(404);
    // A source the caller cannot read is 404 too.
    const hidden = String((await api('POST', '/documents', lulea, { type: 'plan', title: 'Dold' })).body.id);
    const own = String((await api('POST', '/documents', arjeplog, { type: 'plan', title: 'Arjeplogs plan' })).body.id);
    expect((await api('POST', `/documents/${hidden}/adopt`, arjeplog, { measureId: measure.id, targetPlanId: own })).status).toBe(404);
    sourceClient.destroy();
    targetClient.destroy();
  });

  it("adopts a pilot's recommendation as a new measure", async () => {
    const lulea = people.get('Lulea')!;
    const arjeplog = people.get('Arjeplog')!;
    const pilotId = String((await api('POST', '/documents', lulea, { type: 'pilot', title: 'Elcykelpool', visibility: 'network' })).body.id);
    const client = standardClient({ wsUrl: server.wsUrl, cookie: lulea }, pilotId);
    await client.synced();
    const pilot = new PilotLog(client.doc);
    pilot.update({ sector: 'transport', recommendation: 'adopt' });
    setParagraphs(pilot.section('wentLessWell'), ['Snön stoppade cyklarna i januari.']);
    await waitFor(() => server.store.commitQueueLength() === 0, 'commit');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const own = String((await api('POST', '/documents', arjeplog, { type: 'plan', title: 'Arjeplog 2030' })).body.id);
    const adopted = await api('POST', `/documents/${pilotId}/adopt`, arjeplog, { targetPlanId: own });
    expect(adopted.status).toBe(201);
    const target = standardClient({ wsUrl: server.wsUrl, cookie: arjeplog }, own);
    await target.synced();
    const copy = new ActionPlan(target.doc).measure(String(adopted.body.targetItemId))!;
    expect(copy.fields).toMatchObject({ title: 'Elcykelpool', sector: 'transport' });
    expect(fragmentText(copy.description)).toContain('Snön stoppade cyklarna');
    expect(fragmentText(copy.description)).toContain('adopt');
    client.destroy();
    target.destroy();
  });
});
