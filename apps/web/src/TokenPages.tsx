import { useEffect, useState } from 'react';
import { postJson } from './api.js';
import type { MessageKey } from './i18n.js';

type T = (key: MessageKey) => string;

interface InvitationInfo {
  email: string;
  organisation: { name: string } | null;
  status: 'open' | 'used' | 'expired';
}


/** A new password field (at least 12 characters; the server also refuses common passwords). */
function NewPassword({ t, value, onChange }: { t: T; value: string; onChange: (value: string) => void }) {
  return (
    <p>
      <label>
        {t('passwordNew')}{' '}
        <input type="password" autoComplete="new-password" minLength={12} value={value} onChange={(event) => onChange(event.target.value)} required />
      </label>
    </p>
  );
}

/** `/invitations/:token`: create the account an admin invited you to. */
export function AcceptInvitation({ t, token, onDone }: { t: T; token: string; onDone: () => void }) {
  const [info, setInfo] = useState<InvitationInfo | null | 'missing'>(null);
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');

  useEffect(() => {
    fetch(`/api/invitations/${encodeURIComponent(token)}`)
      .then(async (response) => (response.ok ? setInfo((await response.json()) as InvitationInfo) : setInfo('missing')))
      .catch(() => setInfo('missing'));
  }, [token]);

  if (info === null) return null;
  if (info === 'missing' || info.status !== 'open') {
    return (
      <section aria-labelledby="invitation-heading">
        <h2 id="invitation-heading">{t('invitationHeading')}</h2>
        <p role="alert">{info !== 'missing' && info.status === 'used' ? t('invitationUsed') : info !== 'missing' && info.status === 'expired' ? t('invitationExpired') : t('invitationMissing')}</p>
      </section>
    );
  }
  return (
    <form
      aria-labelledby="invitation-heading"
      onSubmit={(event) => {
        event.preventDefault();
        void postJson(`/api/invitations/${encodeURIComponent(token)}/accept`, { name, password }).then((result) => (result.ok ? onDone() : setError(result.message)));
      }}
    >
      <h2 id="invitation-heading">{t('invitationHeading')}</h2>
      <p>
        {t('invitationIntro')} {info.organisation?.name} ({info.email})
      </p>
      {error && <p role="alert">{error}</p>}
      <p>
        <label>
          {t('yourName')} <input autoComplete="name" value={name} onChange={(event) => setName(event.target.value)} required />
        </label>
      </p>
      <NewPassword t={t} value={password} onChange={setPassword} />
      <button type="submit">{t('createAccount')}</button>
    </form>
  );
}

/** `/reset-password/:token`: choose a new password with a single-use link. */
export function ResetPassword({ t, token, onDone }: { t: T; token: string; onDone: () => void }) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [done, setDone] = useState(false);
  if (done) {
    return (
      <section aria-labelledby="reset-heading">
        <h2 id="reset-heading">{t('resetHeading')}</h2>
        <p role="status">{t('resetDone')}</p>
        <button type="button" onClick={onDone}>
          {t('signIn')}
        </button>
      </section>
    );
  }
  return (
    <form
      aria-labelledby="reset-heading"
      onSubmit={(event) => {
        event.preventDefault();
        void postJson(`/api/password-resets/${encodeURIComponent(token)}`, { password }).then((result) => (result.ok ? setDone(true) : setError(result.message)));
      }}
    >
      <h2 id="reset-heading">{t('resetHeading')}</h2>
      {error && <p role="alert">{error}</p>}
      <NewPassword t={t} value={password} onChange={setPassword} />
      <button type="submit">{t('resetSubmit')}</button>
    </form>
  );
}
