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
  for (const user of others) {
    const invitation = await invitationIssuer(deps, adminId, { email: user.email, organisationId: id(user.organisation), role: user.role });
    await invitationAcceptor(deps, invitation.token, { name: user.name, password: DEMO_PASSWORD });
  }
}
