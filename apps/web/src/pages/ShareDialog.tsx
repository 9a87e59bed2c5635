import type { DocumentSummary, ShareSummary } from '@samverkan/protocol';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, errorText } from '../api.js';
import { useT } from '../i18n/index.js';
import { useGroups, useOrganisations, useUsers } from '../session.js';
import { ErrorAlert, ModalButton, StatusMessage, UserText } from '../ui.js';

type Role = ShareSummary['role'];

/**
 * The sharing dialog (manage access): who may read (private, a group, the whole network) and
 * shares to organisations, groups and people with a role, each removable. A modal dialog from
 * react-aria-components: focus moves into it, stays in it and returns to "Share" when it closes.
 */
export function ShareDialog({ document }: { document: DocumentSummary }) {
  const { t } = useT();
  // A visibility chosen and not saved yet (null: none), and whether closing was tried since:
  // the first close keeps the dialog open and says so, a second one closes without saving.
  const [choice, setChoice] = useState<string | null>(null);
  const [warned, setWarned] = useState(false);
  const choose = (value: string | null): void => {
    setChoice(value === document.visibility ? null : value);
    setWarned(false);
  };
  // A saved choice is no longer pending, unless another one was made while it was saved.
  const settle = (saved: string): void => {
    setChoice((current) => (current === saved ? null : current));
    setWarned(false);
  };
  const beforeClose = (): boolean => {
    if (choice !== null && !warned) {
      setWarned(true);
      return false;
    }
    choose(null);
    return true;
  };
  return (
    <ModalButton label={t('share')} heading={t('shareHeading', { title: document.title })} beforeClose={beforeClose}>
      {(close) => (
        <>
          <ShareForms document={document} choice={choice} choose={choose} settle={settle} warned={warned} />
          <p>
            <button type="button" className="secondary" onClick={close}>
              {t('close')}
            </button>
          </p>
        </>
      )}
    </ModalButton>
  );
}

function ShareForms({
  document,
  choice,
  choose,
  settle,
  warned,
}: {
  document: DocumentSummary;
  choice: string | null;
  choose: (value: string | null) => void;
  settle: (saved: string) => void;
  warned: boolean;
}) {
  const { t, locale } = useT();
  const queryClient = useQueryClient();
  const organisations = useOrganisations();
  const groups = useGroups();
  const users = useUsers();
  const shares = useQuery({
    queryKey: ['shares', document.id],
    queryFn: async () => (await api.get<{ shares: ShareSummary[] }>(`/api/documents/${document.id}/shares`)).shares,
  });
  const visibility = choice ?? document.visibility;
  const [target, setTarget] = useState('');
  const [role, setRole] = useState<Role>('editor');
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);

  const nameOf = (share: Pick<ShareSummary, 'principalType' | 'principalId'>): string => {
    const list = share.principalType === 'organisation' ? organisations.data : share.principalType === 'group' ? groups.data : users.data;
    return list?.find((entry) => entry.id === share.principalId)?.name ?? t('unknownName');
  };
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: ['shares', document.id] });
    await queryClient.invalidateQueries({ queryKey: ['document', document.id] });
  };
  const failed = (failure: unknown) => {
    setStatus(null);
    setError(errorText(t, locale, failure));
  };

  const saveVisibility = (event: React.FormEvent) => {
    event.preventDefault();
    api.patch(`/api/documents/${document.id}`, { visibility }).then(async () => {
      setError(null);
      setStatus(t('visibilitySaved'));
      await refresh();
      settle(visibility);
    }, failed);
  };
  const addShare = (event: React.FormEvent) => {
    event.preventDefault();
    const [kind, id] = target.split(':') as ['organisation' | 'group' | 'user', string];
    const body = kind === 'organisation' ? { organisationId: id, role } : kind === 'group' ? { groupId: id, role } : { userId: id, role };
    api.post(`/api/documents/${document.id}/shares`, body).then(async () => {
      setError(null);
      setStatus(t('shareAdded', { name: nameOf({ principalType: kind, principalId: id }) }));
      setTarget('');
      await refresh();
    }, failed);
  };
  const revoke = (share: ShareSummary) => {
    api.delete(`/api/documents/${document.id}/shares/${share.id}`).then(async () => {
      setError(null);
      setStatus(t('shareRemoved', { name: nameOf(share) }));
      await refresh();
    }, failed);
  };

  return (
    <>
      <ErrorAlert message={error} />
      <StatusMessage message={status} />
      <form onSubmit={saveVisibility} aria-labelledby="visibility-label">
        <label id="visibility-label">
          {t('visibility')}
          <select value={visibility} onChange={(event) => choose(event.target.value)} aria-describedby={choice !== null ? 'visibility-unsaved' : undefined}>
            <option value="private">{t('visibility_private')}</option>
            <option value="network">{t('visibility_network')}</option>
            {groups.data?.map((group) => (
              <option key={group.id} value={`group:${group.id}`}>
                {t('visibilityGroup', { name: group.name })}
              </option>
            ))}
          </select>
        </label>{' '}
        <button type="submit">{t('saveVisibility')}</button>
        {choice !== null && (
          <p id="visibility-unsaved" className={warned ? undefined : 'hint'} role={warned ? 'alert' : undefined}>
            {warned ? t('visibilityUnsavedClose') : t('visibilityUnsaved')}
          </p>
        )}
      </form>
      <h3 id="shared-with">{t('sharedWith')}</h3>
      {shares.isSuccess && shares.data.length === 0 && <p>{t('notShared')}</p>}
      <ul aria-labelledby="shared-with" className="share-list">
        {shares.data?.map((share) => (
          <li key={share.id}>
            {t(`principal_${share.principalType}`)}: <UserText>{nameOf(share)}</UserText> – {t(`role_${share.role}`)}{' '}
            <button type="button" className="secondary" aria-label={t('revokeLabel', { name: nameOf(share) })} onClick={() => revoke(share)}>
              {t('revoke')}
            </button>
          </li>
        ))}
      </ul>
      <form onSubmit={addShare} aria-label={t('addShare')}>
        <label>
          {t('shareTarget')}
          <select value={target} onChange={(event) => setTarget(event.target.value)} required>
            <option value="">{t('shareTargetChoose')}</option>
            <optgroup label={t('shareTargetOrganisations')}>
              {organisations.data?.map((organisation) => (
                <option key={organisation.id} value={`organisation:${organisation.id}`} data-user-content="">
                  {organisation.name}
                </option>
              ))}
            </optgroup>
            <optgroup label={t('shareTargetGroups')}>
              {groups.data?.map((group) => (
                <option key={group.id} value={`group:${group.id}`} data-user-content="">
                  {group.name}
                </option>
              ))}
            </optgroup>
            <optgroup label={t('shareTargetPeople')}>
              {users.data
                ?.filter((user) => !user.deactivated)
                .map((user) => (
                  <option key={user.id} value={`user:${user.id}`} data-user-content="">
                    {user.name}
                  </option>
                ))}
            </optgroup>
          </select>
        </label>{' '}
        <label>
          {t('shareRole')}
          <select value={role} onChange={(event) => setRole(event.target.value as Role)}>
            <option value="viewer">{t('role_viewer')}</option>
            <option value="commenter">{t('role_commenter')}</option>
            <option value="editor">{t('role_editor')}</option>
          </select>
        </label>{' '}
        <button type="submit">{t('addShare')}</button>
      </form>
    </>
  );
}
