import { ActionPlan, PilotLog, type Sector, applyTemplate, extractEntries, extractFacts, setParagraphs } from '@samverkan/model';
import * as Y from 'yjs';
import { newDocumentId } from '../commands/documentCreator.js';
import { invitationAcceptor } from '../commands/invitationAcceptor.js';
import { invitationIssuer } from '../commands/invitationIssuer.js';
import type { AccountDeps } from '../commands/accountDeps.js';
import { groupCreator } from '../commands/groupEditor.js';
import { networkInitialiser } from '../commands/networkInitialiser.js';
import { organisationCreator } from '../commands/organisationCreator.js';
import type { NetworkRole, OrganisationKind } from '../store/ports.js';

/** The demo password of every demo account (documented in the README). */
export const DEMO_PASSWORD = 'Norrbotten-demo-2026';

/** The 14 municipalities of Norrbotten. */
export const NORRBOTTEN_MUNICIPALITIES = [
  'Arjeplogs kommun',
  'Arvidsjaurs kommun',
  'Bodens kommun',
  'Gällivare kommun',
  'Haparanda stad',
  'Jokkmokks kommun',
  'Kalix kommun',
  'Kiruna kommun',
  'Luleå kommun',
  'Pajala kommun',
  'Piteå kommun',
  'Älvsbyns kommun',
  'Överkalix kommun',
  'Övertorneå kommun',
] as const;

/** Demo logins: e-mail, name, organisation, role. */
export const DEMO_USERS: { email: string; name: string; organisation: string; role: NetworkRole }[] = [
  { email: 'admin@energikontor-norr.example', name: 'Åsa Admin', organisation: 'Energikontor Norr', role: 'admin' },
  { email: 'klimat@lulea.example', name: 'Lars Lindqvist', organisation: 'Luleå kommun', role: 'coordinator' },
  { email: 'klimat@pitea.example', name: 'Pia Persson', organisation: 'Piteå kommun', role: 'coordinator' },
  { email: 'klimat@boden.example', name: 'Bo Berg', organisation: 'Bodens kommun', role: 'coordinator' },
  { email: 'energi@kiruna.example', name: 'Kim Kangas', organisation: 'Kiruna kommun', role: 'coordinator' },
  { email: 'miljo@region.example', name: 'Rut Rask', organisation: 'Region Norrbotten', role: 'coordinator' },
  { email: 'gast@umea.example', name: 'Gustav Gäst', organisation: 'Umeå kommun (gäst)', role: 'guest' },
];

/**
 * Fills an empty instance with the sample Norrbotten network: the 14 municipalities, Region
 * Norrbotten, the energy agency, a thematic group, a neighbour group, a guest organisation and
 * the demo users. Goes through the same commands as the web app (so everything is audited).
 */
export async function createDemoNetwork(deps: AccountDeps): Promise<void> {
  const [admin, ...others] = DEMO_USERS;
  const setup = await networkInitialiser(deps, {
    networkName: 'Norrbottens klimat- och energinätverk',
    organisationName: 'Energikontor Norr',
    organisationKind: 'agency',
    name: admin!.name,
    email: admin!.email,
    password: DEMO_PASSWORD,
  });
  const adminId = setup.user.id;
  const organisationIds = new Map<string, string>([['Energikontor Norr', setup.organisation.id]]);
  const add = async (name: string, kind: OrganisationKind) => {
    const organisation = await organisationCreator(deps, adminId, { name, kind });
    organisationIds.set(name, organisation.id);
  };
  for (const municipality of NORRBOTTEN_MUNICIPALITIES) await add(municipality, 'municipality');
  await add('Region Norrbotten', 'region');
  await add('Umeå kommun (gäst)', 'guest');
  const id = (name: string) => organisationIds.get(name) as string;
  await groupCreator(deps, adminId, {
    name: 'Transport och mobilitet',
    kind: 'thematic',
    organisationIds: ['Luleå kommun', 'Piteå kommun', 'Kiruna kommun', 'Gällivare kommun', 'Region Norrbotten', 'Umeå kommun (gäst)'].map(id),
  });
  await groupCreator(deps, adminId, {
    name: 'Fyrkanten: Luleå–Boden–Piteå–Älvsbyn',
    kind: 'neighbour',
    organisationIds: ['Luleå kommun', 'Bodens kommun', 'Piteå kommun', 'Älvsbyns kommun'].map(id),
  });
  const userIds = new Map<string, string>();
  for (const user of others) {
    const invitation = await invitationIssuer(deps, adminId, { email: user.email, organisationId: id(user.organisation), role: user.role });
    const accepted = await invitationAcceptor(deps, invitation.token, { name: user.name, password: DEMO_PASSWORD });
    userIds.set(user.organisation, accepted.user.id);
  }
  const groups = await deps.store.accounts.listGroups();
  const fyrkanten = groups.find((group) => group.kind === 'neighbour')!;
  const transport = groups.find((group) => group.kind === 'thematic')!;

  /** Writes a demo document straight into the store (the tool runs without a sync server). */
  const document = async (
    organisation: string,
    kind: 'plan' | 'pilot',
    title: string,
    visibility: string,
    fill: (doc: Y.Doc) => void,
  ): Promise<void> => {
    const documentId = newDocumentId();
    const now = new Date().toISOString();
    const createdBy = userIds.get(organisation) ?? adminId;
    await deps.store.documents.create({ id: documentId, type: kind, title, visibility, ownerOrganisationId: id(organisation), createdBy, createdAt: now, updatedAt: now });
    const doc = new Y.Doc();
    applyTemplate(doc, { kind, title, language: 'sv' });
    fill(doc);
    await deps.store.updates.appendUpdates(documentId, [Y.encodeStateAsUpdate(doc)]);
    await deps.store.search.replaceDocument(documentId, extractEntries(doc).map((entry) => ({ ...entry, documentId })));
    await deps.store.documents.setFacts(documentId, JSON.stringify(extractFacts(doc)));
    await deps.store.audit.record({ actorId: createdBy, action: 'document.create', targetId: documentId, at: now });
  };

  const measures = (
    plan: ActionPlan,
    rows: { title: string; sector: Sector; status: 'planned' | 'ongoing' | 'done'; co2: number; actual?: number; cost?: number; text: string; sdgs: number[] }[],
  ) => {
    for (const row of rows) {
      const measure = plan.addMeasure({
        title: row.title,
        sector: row.sector,
        status: row.status,
        estimatedCo2ReductionT: row.co2,
        actualCo2ReductionT: row.actual ?? null,
        implementationCost: row.cost ?? null,
      });
      setParagraphs(measure.description, [row.text]);
      measure.setSdgs(row.sdgs);
    }
  };

  await document('Luleå kommun', 'plan', 'Klimat- och energiplan Luleå 2030', 'network', (doc) => {
    const plan = new ActionPlan(doc);
    plan.setPeriod(2026, 2030);
    const target = plan.targets[0]!;
    target.update({ baselineYear: 2019, baselineValue: 410_000, targetYear: 2030, targetValue: 150_000 });
    target.setActual(2023, 350_000);
    target.setActual(2024, 330_000);
    measures(plan, [
      { title: 'Laddinfrastruktur vid kommunala parkeringar', sector: 'transport', status: 'ongoing', co2: 1800, actual: 420, cost: 12_500_000, text: '200 publika laddpunkter till 2028.', sdgs: [7, 11, 13] },
      { title: 'Värmepumpar i förskolor', sector: 'buildings', status: 'done', co2: 260, actual: 240, cost: 3_200_000, text: 'Värmepumparna ersatte direktel i tolv förskolor.', sdgs: [7, 13] },
      { title: 'Spillvärme från stålverket till fjärrvärmen', sector: 'energy_supply', status: 'planned', co2: 25_000, text: 'Förstudie tillsammans med industrin.', sdgs: [7, 9, 13] },
    ]);
  });
  await document('Piteå kommun', 'plan', 'Energi- och klimatstrategi Piteå', `group:${fyrkanten.id}`, (doc) => {
    const plan = new ActionPlan(doc);
    plan.setPeriod(2025, 2030);
    measures(plan, [
      { title: 'Biogas från matavfall', sector: 'waste', status: 'ongoing', co2: 950, actual: 100, text: 'Rötning av hushållens matavfall.', sdgs: [7, 12] },
      { title: 'Solceller på sporthallar', sector: 'energy_supply', status: 'done', co2: 40, actual: 38, text: 'Fyra hallar, 600 kW.', sdgs: [7] },
    ]);
  });
  await document('Kiruna kommun', 'plan', 'Utkast: klimatplan Kiruna', 'private', (doc) => {
    measures(new ActionPlan(doc), [{ title: 'Elbussar i stadsflytten', sector: 'transport', status: 'planned', co2: 700, text: 'Utkast, delas senare.', sdgs: [11] }]);
  });
  await document('Luleå kommun', 'pilot', 'Elcykelpool i hemtjänsten', 'network', (doc) => {
    const pilot = new PilotLog(doc);
    pilot.update({ sector: 'transport', status: 'completed', recommendation: 'adopt', shareAsGoodPractice: true, startDate: '2026-03-01', reviewDate: '2026-06-01', endDate: '2026-09-30' });
    setParagraphs(pilot.section('results'), ['38 % av turerna gjordes med elcykel; 11 t CO₂e mindre per år.']);
    setParagraphs(pilot.section('wentWell'), ['Personalen tyckte om cyklarna; kortare restid i centrum.']);
    setParagraphs(pilot.section('wentLessWell'), ['Vinterdäck kom för sent; november–mars användes bilen.']);
  });
  await document('Bodens kommun', 'pilot', 'Sensorstyrd gatubelysning', `group:${transport.id}`, (doc) => {
    const pilot = new PilotLog(doc);
    pilot.update({ sector: 'energy_supply', status: 'stopped', recommendation: 'stop', startDate: '2025-10-01', endDate: '2026-02-28' });
    setParagraphs(pilot.section('hypothesis'), ['Rörelsesensorer kan halvera energin för gatubelysning på villagator.']);
    setParagraphs(pilot.section('results'), ['Besparingen blev 9 %, inte 50 %: snöfall och ren trafik höll lamporna tända.']);
    setParagraphs(pilot.section('wentLessWell'), ['Sensorerna frös fast i kyla under −25 °C och gav falsklarm. Vi avbröt piloten.']);
    setParagraphs(pilot.section('surprises'), ['Invånarna upplevde tändande lampor som otrygga.']);
  });
  await document('Piteå kommun', 'pilot', 'Matavfall till biogas', 'network', (doc) => {
    const pilot = new PilotLog(doc);
    pilot.update({ sector: 'waste', status: 'running', startDate: '2026-01-15', reviewDate: '2026-12-01' });
    setParagraphs(pilot.addEntry(userIds.get('Piteå kommun') ?? adminId, '2026-02-01').body, ['Första månaden: 14 ton insamlat.']);
  });
}
