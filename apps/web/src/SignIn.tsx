import { useState } from 'react';
import { postJson } from './api.js';
import type { MessageKey } from './i18n.js';

type T = (key: MessageKey) => string;


/** Sign-in form. */
export function SignIn({ t, onSignedIn }: { t: T; onSignedIn: () => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  return (
    <form
      aria-labelledby="signin-heading"
      onSubmit={(event) => {
        event.preventDefault();
        void postJson('/api/auth/login', { email, password }).then((result) => (result.ok ? onSignedIn() : setError(result.message)));
      }}
    >
      <h2 id="signin-heading">{t('signIn')}</h2>
      {error && <p role="alert">{error}</p>}
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
export function Setup({ t, onDone }: { t: T; onDone: () => void }) {
  const [fields, setFields] = useState({ networkName: '', organisationName: '', name: '', email: '', password: '' });
  const [error, setError] = useState('');
  const field = (key: keyof typeof fields, label: MessageKey, type = 'text', autoComplete = 'off') => (
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
      aria-labelledby="setup-heading"
      onSubmit={(event) => {
        event.preventDefault();
        void postJson('/api/setup', fields).then((result) => (result.ok ? onDone() : setError(result.message)));
      }}
    >
      <h2 id="setup-heading">{t('setupHeading')}</h2>
      <p>{t('setupIntro')}</p>
      {error && <p role="alert">{error}</p>}
      {field('networkName', 'networkName')}
      {field('organisationName', 'organisationName')}
      {field('name', 'yourName', 'text', 'name')}
      {field('email', 'email', 'email', 'username')}
      {field('password', 'passwordNew', 'password', 'new-password')}
      <button type="submit">{t('setupSubmit')}</button>
    </form>
  );
}
