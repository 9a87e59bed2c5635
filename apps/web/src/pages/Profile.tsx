import type { Locale } from '../i18n/index.js';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, errorText } from '../api.js';
import { changeLocale, useT } from '../i18n/index.js';
import { useMe } from '../session.js';
import { ErrorAlert, PageHeading, StatusMessage } from '../ui.js';
import { NewPassword } from './TokenPages.js';

/** `/profile`: name, language and password. */
export function ProfilePage() {
  const { t, locale } = useT();
  const me = useMe().data;
  const queryClient = useQueryClient();
  const [name, setName] = useState(me?.user.name ?? '');
  // Follows the language on screen (the header's switch also changes it) until chosen here.
  const [chosenLanguage, setLanguage] = useState<Locale | null>(null);
  const language = chosenLanguage ?? locale;
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [profile, setProfile] = useState<{ error: string | null; status: string | null }>({ error: null, status: null });
  const [password, setPassword] = useState<{ error: string | null; status: string | null }>({ error: null, status: null });
  if (!me) return null;
  return (
    <section aria-labelledby="page-heading">
      <PageHeading title={t('profileHeading')}>{t('profileHeading')}</PageHeading>
      <form
        aria-labelledby="profile-details"
        onSubmit={(event) => {
          event.preventDefault();
          api.patch('/api/auth/me', { name, language }).then(
            async () => {
              await changeLocale(language);
              setLanguage(null);
              await queryClient.invalidateQueries({ queryKey: ['me'] });
              setProfile({ error: null, status: t('profileSaved', { lng: language }) });
            },
            (failure: unknown) => setProfile({ error: errorText(t, locale, failure), status: null }),
          );
        }}
      >
        <h2 id="profile-details">{t('profileDetails')}</h2>
        <ErrorAlert message={profile.error} />
        <StatusMessage message={profile.status} />
        <label>
          {t('name')} <input autoComplete="name" value={name} onChange={(event) => setName(event.target.value)} required maxLength={120} />
        </label>
        <label>
          {t('language')}
          <select value={language} onChange={(event) => setLanguage(event.target.value as Locale)}>
            <option value="sv">{t('language_sv')}</option>
            <option value="en">{t('language_en')}</option>
          </select>
        </label>
        <button type="submit">{t('saveProfile')}</button>
      </form>
      <form
        aria-labelledby="change-password"
        onSubmit={(event) => {
          event.preventDefault();
          api.post('/api/auth/password', { currentPassword, newPassword }).then(
            () => {
              setCurrentPassword('');
              setNewPassword('');
              setPassword({ error: null, status: t('passwordChanged') });
            },
            (failure: unknown) => setPassword({ error: errorText(t, locale, failure), status: null }),
          );
        }}
      >
        <h2 id="change-password">{t('changePassword')}</h2>
        <ErrorAlert message={password.error} />
        <StatusMessage message={password.status} />
        <p>
          <label>
            {t('currentPassword')}{' '}
            <input type="password" autoComplete="current-password" value={currentPassword} onChange={(event) => setCurrentPassword(event.target.value)} required />
          </label>
        </p>
        <NewPassword label={t('newPassword')} value={newPassword} onChange={setNewPassword} />
        <button type="submit">{t('changePassword')}</button>
      </form>
    </section>
  );
}
