import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams } from 'react-router';
import { api, errorText } from '../api.js';
import { useT } from '../i18n/index.js';
import { ErrorAlert, PageHeading } from '../ui.js';

interface InvitationInfo {
  email: string;
  organisation: { name: string } | null;
  status: 'open' | 'used' | 'expired';
}

/** A new password field (at least 12 characters; the server also refuses common passwords). */
export function NewPassword({ label, value, onChange }: { label: string; value: string; onChange: (value: string) => void }) {
  return (
    <p>
      <label>
        {label} <input type="password" autoComplete="new-password" minLength={12} value={value} onChange={(event) => onChange(event.target.value)} required />
      </label>
    </p>
  );
}

/** `/invitations/:token`: create the account an admin invited you to. */
export function AcceptInvitation({ onDone }: { onDone: () => void }) {
  const { t, locale } = useT();
  const token = useParams().token ?? '';
  const info = useQuery({
    queryKey: ['invitation', token],
    queryFn: () => api.get<InvitationInfo>(`/api/invitations/${encodeURIComponent(token)}`),
    retry: false,
  });
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);

  if (info.isPending) return <p>{t('loading')}</p>;
  if (info.isError || info.data.status !== 'open') {
    return (
      <section aria-labelledby="page-heading">
        <PageHeading title={t('invitationHeading')}>{t('invitationHeading')}</PageHeading>
        <p role="alert">{info.data?.status === 'used' ? t('invitationUsed') : info.data?.status === 'expired' ? t('invitationExpired') : t('invitationMissing')}</p>
      </section>
    );
  }
  return (
    <form
      aria-labelledby="page-heading"
      onSubmit={(event) => {
        event.preventDefault();
        api
          .post(`/api/invitations/${encodeURIComponent(token)}/accept`, { name, password, language: locale })
          .then(onDone, (failure: unknown) => setError(errorText(t, locale, failure)));
      }}
    >
      <PageHeading title={t('invitationHeading')}>{t('invitationHeading')}</PageHeading>
      <p>{t('invitationIntro', { organisation: info.data.organisation?.name ?? '', email: info.data.email })}</p>
      <ErrorAlert message={error} />
      <p>
        <label>
          {t('yourName')} <input autoComplete="name" value={name} onChange={(event) => setName(event.target.value)} required />
        </label>
      </p>
      <NewPassword label={t('passwordNew')} value={password} onChange={setPassword} />
      <button type="submit">{t('createAccount')}</button>
    </form>
  );
}

/** `/reset-password/:token`: choose a new password with a single-use link. */
export function ResetPassword({ onDone }: { onDone: () => void }) {
  const { t, locale } = useT();
  const token = useParams().token ?? '';
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  if (done) {
    return (
      <section aria-labelledby="page-heading">
        <PageHeading title={t('resetHeading')}>{t('resetHeading')}</PageHeading>
        <p role="status">{t('resetDone')}</p>
        <button type="button" onClick={onDone}>
          {t('signIn')}
        </button>
      </section>
    );
  }
  return (
    <form
      aria-labelledby="page-heading"
      onSubmit={(event) => {
        event.preventDefault();
        api.post(`/api/password-resets/${encodeURIComponent(token)}`, { password }).then(
          () => setDone(true),
          (failure: unknown) => setError(errorText(t, locale, failure)),
        );
      }}
    >
      <PageHeading title={t('resetHeading')}>{t('resetHeading')}</PageHeading>
      <ErrorAlert message={error} />
      <NewPassword label={t('passwordNew')} value={password} onChange={setPassword} />
      <button type="submit">{t('resetSubmit')}</button>
    </form>
  );
}
