import { useState } from 'react';
import { api, errorText } from '../api.js';
import { type TKey, useT } from '../i18n/index.js';
import { ErrorAlert, PageHeading } from '../ui.js';

/** Sign-in form. */
export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const { t, locale } = useT();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      aria-labelledby="page-heading"
      onSubmit={(event) => {
        event.preventDefault();
        api.post('/api/auth/login', { email, password }).then(onSignedIn, (failure: unknown) => setError(errorText(t, locale, failure)));
      }}
    >
      <PageHeading title={t('signIn')}>{t('signIn')}</PageHeading>
      <ErrorAlert message={error} />
      <p>
        <label>
          {t('email')} <input type="email" autoComplete="username" value={email} onChange={(event) => setEmail(event.target.value)} required />
        </label>
      </p>
      <p>
        <label>
          {t('password')}{' '}
          <input type="password" autoComplete="current-password" value={password} onChange={(event) => setPassword(event.target.value)} required />
        </label>
      </p>
      <button type="submit">{t('signIn')}</button>
    </form>
  );
}

/** First run: the network, its first organisation and its administrator. */
export function Setup({ onDone }: { onDone: () => void }) {
  const { t, locale } = useT();
  const [fields, setFields] = useState({ networkName: '', organisationName: '', name: '', email: '', password: '' });
  const [error, setError] = useState<string | null>(null);
  const field = (key: keyof typeof fields, label: TKey, type = 'text', autoComplete = 'off') => (
    <p>
      <label>
        {t(label)}{' '}
        <input
          type={type}
          autoComplete={autoComplete}
          value={fields[key]}
          minLength={key === 'password' ? 12 : undefined}
          onChange={(event) => setFields({ ...fields, [key]: event.target.value })}
          required
        />
      </label>
    </p>
  );
  return (
    <form
      aria-labelledby="page-heading"
      onSubmit={(event) => {
        event.preventDefault();
        api.post('/api/setup', { ...fields, language: locale }).then(onDone, (failure: unknown) => setError(errorText(t, locale, failure)));
      }}
    >
      <PageHeading title={t('setupHeading')}>{t('setupHeading')}</PageHeading>
      <p>{t('setupIntro')}</p>
      <ErrorAlert message={error} />
      {field('networkName', 'networkName')}
      {field('organisationName', 'organisationName')}
      {field('name', 'yourName', 'text', 'name')}
      {field('email', 'email', 'email', 'username')}
      {field('password', 'passwordNew', 'password', 'new-password')}
      <button type="submit">{t('setupSubmit')}</button>
    </form>
  );
}
