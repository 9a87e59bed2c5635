import type { GroupSummary, OrganisationSummary, UserSummary } from '@samverkan/protocol';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, errorText } from '../api.js';
import { useT } from '../i18n/index.js';
import { useGroups, useMe, useOrganisations, useUsers } from '../session.js';
import { ConfirmButton, ErrorAlert, FormDialog, PageHeading, StatusMessage, UserText } from '../ui.js';
import { NoAccess } from './NoAccess.js';

const ORGANISATION_KINDS = ['municipality', 'region', 'agency', 'guest', 'other'] as const;
const ROLES = ['coordinator', 'admin', 'guest'] as const;

/** Result of an admin action: a message for the live region or an error. */
function useOutcome() {
  const { t, locale } = useT();
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  return {
    error,
    status,
    ok: (message: string | null) => {
      setError(null);
      setStatus(message);
    },
    fail: (failure: unknown) => {
      setStatus(null);
      setError(errorText(t, locale, failure));
    },
  };
}

/** A link the server issued; `emailFailed` when sending it by e-mail failed (it must be handed over). */
interface IssuedLink {
  url: string;
  emailFailed?: boolean;
}

/** A created link shown once, selectable and copyable. */
function LinkOutput({ label, url, emailFailed = false }: { label: string; url: string; emailFailed?: boolean | undefined }) {
  const { t } = useT();
  return (
    <div className="link-output">
      <p>{label}</p>
      {emailFailed && <p role="alert">{t('linkEmailFailed')}</p>}
      <label>
        {t('link')}
        <input readOnly value={url} onFocus={(event) => event.target.select()} />
      </label>
    </div>
  );
}

/** `/admin` (network administrators): organisations, people, invitations and groups. */
export default function AdminPage() {
  const { t } = useT();
  const me = useMe().data;
  if (me?.user.role !== 'admin') return <NoAccess kind="document" />;
  return (
    <section aria-labelledby="page-heading">
      <PageHeading title={t('adminHeading')}>{t('adminHeading')}</PageHeading>
      <Organisations />
      <People />
      <Invitations />
      <Groups />
    </section>
  );
}

function Organisations() {
  const { t } = useT();
  const organisations = useOrganisations();
  const queryClient = useQueryClient();
  const outcome = useOutcome();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<(typeof ORGANISATION_KINDS)[number]>('municipality');
  return (
    <section aria-labelledby="organisations-heading">
      <h2 id="organisations-heading">{t('organisations')}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('name')}</th>
            <th scope="col">{t('organisationKind')}</th>
          </tr>
        </thead>
        <tbody>
          {organisations.data?.map((organisation) => (
            <tr key={organisation.id}>
              <td>
                <UserText>{organisation.name}</UserText>
              </td>
              <td>{t(`kind_${organisation.kind}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        aria-labelledby="add-organisation"
        onSubmit={(event) => {
          event.preventDefault();
          api.post<OrganisationSummary>('/api/organisations', { name, kind }).then(async (created) => {
            outcome.ok(t('organisationAdded', { name: created.name }));
            setName('');
            await queryClient.invalidateQueries({ queryKey: ['organisations'] });
          }, outcome.fail);
        }}
      >
        <h3 id="add-organisation">{t('addOrganisation')}</h3>
        <ErrorAlert message={outcome.error} />
        <StatusMessage message={outcome.status} />
        <label>
          {t('organisationNameLabel')} <input value={name} onChange={(event) => setName(event.target.value)} required maxLength={120} />
        </label>
        <label>
          {t('organisationKind')}
          <select value={kind} onChange={(event) => setKind(event.target.value as typeof kind)}>
            {ORGANISATION_KINDS.map((value) => (
              <option key={value} value={value}>
                {t(`kind_${value}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t('addOrganisation')}</button>
      </form>
    </section>
  );
}

function People() {
  const { t } = useT();
  const users = useUsers();
  const organisations = useOrganisations();
  const me = useMe().data;
  const queryClient = useQueryClient();
  const outcome = useOutcome();
  const [resetLink, setResetLink] = useState<({ name: string } & IssuedLink) | null>(null);
  const organisationName = (id: string) => organisations.data?.find((organisation) => organisation.id === id)?.name ?? t('unknownName');

  const deactivate = (user: UserSummary) =>
    api.post(`/api/users/${user.id}/deactivate`).then(async () => {
      outcome.ok(t('deactivated_done', { name: user.name }));
      await queryClient.invalidateQueries({ queryKey: ['users'] });
    }, outcome.fail);
  const createResetLink = (user: UserSummary) =>
    api.post<IssuedLink>(`/api/users/${user.id}/reset-link`).then((link) => {
      outcome.ok(null);
      setResetLink({ name: user.name, url: link.url, emailFailed: link.emailFailed });
    }, outcome.fail);

  return (
    <section aria-labelledby="people-heading">
      <h2 id="people-heading">{t('people')}</h2>
      <ErrorAlert message={outcome.error} />
      <StatusMessage message={outcome.status} />
      {resetLink && <LinkOutput label={t('resetLinkCreated', { name: resetLink.name })} url={resetLink.url} emailFailed={resetLink.emailFailed} />}
      <table>
        <thead>
          <tr>
            <th scope="col">{t('name')}</th>
            <th scope="col">{t('email')}</th>
            <th scope="col">{t('organisation')}</th>
            <th scope="col">{t('role')}</th>
            <th scope="col">{t('accountStatus')}</th>
            <th scope="col">{t('actions')}</th>
          </tr>
        </thead>
        <tbody>
          {users.data?.map((user) => (
            <tr key={user.id}>
              <td>
                <UserText>{user.name}</UserText>
              </td>
              <td>
                <UserText>{user.email}</UserText>
              </td>
              <td>
                <UserText>{organisationName(user.organisationId)}</UserText>
              </td>
              <td>{t(`networkRole_${user.role}`)}</td>
              <td>{user.deactivated ? t('deactivated') : t('active')}</td>
              <td className="actions">
                {!user.deactivated && user.id !== me?.user.id && (
                  <>
                    <button type="button" className="secondary" aria-label={t('resetLinkLabel', { name: user.name })} onClick={() => void createResetLink(user)}>
                      {t('resetLink')}
                    </button>{' '}
                    <ConfirmButton
                      label={t('deactivate')}
                      accessibleLabel={t('deactivateLabel', { name: user.name })}
                      heading={t('deactivateConfirmHeading', { name: user.name })}
                      text={t('deactivateConfirmText')}
                      onConfirm={() => void deactivate(user)}
                    />
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

interface OpenInvitation {
  email: string;
  organisationId: string;
  role: (typeof ROLES)[number];
  createdAt: string;
  expiresAt: string;
}

function Invitations() {
  const { t } = useT();
  const organisations = useOrganisations();
  const queryClient = useQueryClient();
  const invitations = useQuery({
    queryKey: ['invitations'],
    queryFn: async () => (await api.get<{ invitations: OpenInvitation[] }>('/api/invitations')).invitations,
  });
  const outcome = useOutcome();
  const [email, setEmail] = useState('');
  const [organisationId, setOrganisationId] = useState('');
  const [role, setRole] = useState<(typeof ROLES)[number]>('coordinator');
  const [created, setCreated] = useState<({ email: string } & IssuedLink) | null>(null);
  const organisationName = (id: string) => organisations.data?.find((organisation) => organisation.id === id)?.name ?? t('unknownName');
  return (
    <section aria-labelledby="invitations-heading">
      <h2 id="invitations-heading">{t('invitations')}</h2>
      <form
        aria-labelledby="invite-heading"
        onSubmit={(event) => {
          event.preventDefault();
          api.post<IssuedLink>('/api/invitations', { email, organisationId, role }).then(async (invitation) => {
            outcome.ok(null);
            setCreated({ email, url: invitation.url, emailFailed: invitation.emailFailed });
            setEmail('');
            await queryClient.invalidateQueries({ queryKey: ['invitations'] });
          }, outcome.fail);
        }}
      >
        <h3 id="invite-heading">{t('invite')}</h3>
        <ErrorAlert message={outcome.error} />
        <StatusMessage message={outcome.status} />
        {created && <LinkOutput label={t('invitationCreated', { email: created.email })} url={created.url} emailFailed={created.emailFailed} />}
        <label>
          {t('email')} <input type="email" value={email} onChange={(event) => setEmail(event.target.value)} required maxLength={254} />
        </label>
        <label>
          {t('organisation')}
          <select value={organisationId} onChange={(event) => setOrganisationId(event.target.value)} required>
            <option value="">{t('shareTargetChoose')}</option>
            {organisations.data?.map((organisation) => (
              <option key={organisation.id} value={organisation.id} data-user-content="">
                {organisation.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('role')}
          <select value={role} onChange={(event) => setRole(event.target.value as typeof role)}>
            {ROLES.map((value) => (
              <option key={value} value={value}>
                {t(`networkRole_${value}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t('invite')}</button>
      </form>
      <h3 id="open-invitations">{t('openInvitations')}</h3>
      {invitations.isSuccess && invitations.data.length === 0 ? (
        <p>{t('noOpenInvitations')}</p>
      ) : (
        <ul aria-labelledby="open-invitations">
          {invitations.data?.map((invitation) => (
            <li key={`${invitation.email}:${invitation.createdAt}`}>
              <UserText>{invitation.email}</UserText>, <UserText>{organisationName(invitation.organisationId)}</UserText>, {t(`networkRole_${invitation.role}`)} –{' '}
              {t('expires', { date: new Date(invitation.expiresAt) })}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Organisations as checkboxes (a group's members). */
function MemberChoice({ chosen, onChange }: { chosen: string[]; onChange: (chosen: string[]) => void }) {
  const { t } = useT();
  const organisations = useOrganisations();
  return (
    <fieldset>
      <legend>{t('groupMembers')}</legend>
      {organisations.data?.map((organisation) => (
        <label key={organisation.id} className="checkbox">
          <input
            type="checkbox"
            checked={chosen.includes(organisation.id)}
            onChange={(event) => onChange(event.target.checked ? [...chosen, organisation.id] : chosen.filter((id) => id !== organisation.id))}
          />
          <UserText>{organisation.name}</UserText>
        </label>
      ))}
    </fieldset>
  );
}

/**
 * "Change" a group: its name and member organisations in a dialog (`PATCH /api/groups/:id`).
 * Who may read what follows at once: documents shared with the group, for its members now.
 */
function EditGroup({ group, onSaved }: { group: GroupSummary; onSaved: (saved: GroupSummary) => void }) {
  const { t } = useT();
  const queryClient = useQueryClient();
  const [name, setName] = useState(group.name);
  const [members, setMembers] = useState(group.organisationIds);
  return (
    <FormDialog
      label={t('change')}
      accessibleLabel={t('changeGroupLabel', { name: group.name })}
      heading={t('changeGroupHeading', { name: group.name })}
      submitLabel={t('saveGroup')}
      canSubmit={name.trim() !== ''}
      onOpen={() => {
        // The dialog starts from the group as it is now (another admin may have changed it).
        setName(group.name);
        setMembers(group.organisationIds);
      }}
      onSubmit={async () => {
        const saved = await api.patch<GroupSummary>(`/api/groups/${encodeURIComponent(group.id)}`, { name: name.trim(), organisationIds: members });
        onSaved(saved);
        // The lists reload after the dialog closed (its button stays on the page: the focus goes back to it).
        void queryClient.invalidateQueries({ queryKey: ['groups'] });
        void queryClient.invalidateQueries({ queryKey: ['me'] });
        return null;
      }}
    >
      <label>
        {t('groupName')} <input value={name} onChange={(event) => setName(event.target.value)} required maxLength={120} />
      </label>
      <MemberChoice chosen={members} onChange={setMembers} />
    </FormDialog>
  );
}

function Groups() {
  const { t } = useT();
  const groups = useGroups();
  const organisations = useOrganisations();
  const queryClient = useQueryClient();
  const outcome = useOutcome();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<GroupSummary['kind']>('thematic');
  const [members, setMembers] = useState<string[]>([]);
  const organisationName = (id: string) => organisations.data?.find((organisation) => organisation.id === id)?.name ?? t('unknownName');
  return (
    <section aria-labelledby="groups-heading">
      <h2 id="groups-heading">{t('groups')}</h2>
      {groups.isSuccess && groups.data.length === 0 ? (
        <p>{t('noGroupsInNetwork')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('name')}</th>
              <th scope="col">{t('groupKind')}</th>
              <th scope="col">{t('members')}</th>
              <th scope="col">{t('actions')}</th>
            </tr>
          </thead>
          <tbody>
            {groups.data?.map((group) => (
              <tr key={group.id}>
                <td>
                  <UserText>{group.name}</UserText>
                </td>
                <td>{t(`groupKind_${group.kind}`)}</td>
                <td>
                  <UserText>{group.organisationIds.map(organisationName).join(', ')}</UserText>
                </td>
                <td>
                  <EditGroup key={group.id} group={group} onSaved={(saved) => outcome.ok(t('groupSaved', { name: saved.name }))} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form
        aria-labelledby="add-group"
        onSubmit={(event) => {
          event.preventDefault();
          api.post<GroupSummary>('/api/groups', { name, kind, organisationIds: members }).then(async (created) => {
            outcome.ok(t('groupAdded', { name: created.name }));
            setName('');
            setMembers([]);
            await queryClient.invalidateQueries({ queryKey: ['groups'] });
            await queryClient.invalidateQueries({ queryKey: ['me'] });
          }, outcome.fail);
        }}
      >
        <h3 id="add-group">{t('addGroup')}</h3>
        <ErrorAlert message={outcome.error} />
        <StatusMessage message={outcome.status} />
        <label>
          {t('groupName')} <input value={name} onChange={(event) => setName(event.target.value)} required maxLength={120} />
        </label>
        <label>
          {t('groupKind')}
          <select value={kind} onChange={(event) => setKind(event.target.value as GroupSummary['kind'])}>
            <option value="thematic">{t('groupKind_thematic')}</option>
            <option value="neighbour">{t('groupKind_neighbour')}</option>
          </select>
        </label>
        <MemberChoice chosen={members} onChange={setMembers} />
        <button type="submit">{t('addGroup')}</button>
      </form>
    </section>
  );
}
