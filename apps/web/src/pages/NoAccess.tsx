import { Link } from 'react-router';
import { useT } from '../i18n/index.js';
import { PageHeading } from '../ui.js';

/** A clear "no access" page: for a document the user may not read, or a session that ended. */
export function NoAccess({ kind, onSignIn, keptUnsaved = false }: { kind: 'document' | 'session'; onSignIn?: () => void; keptUnsaved?: boolean }) {
  const { t } = useT();
  return (
    <section aria-labelledby="page-heading" className="no-access">
      <PageHeading title={t('noAccessHeading')}>{t('noAccessHeading')}</PageHeading>
      <p role="alert">{kind === 'document' ? t('noAccessDocument') : t('noAccessSession')}</p>
      {keptUnsaved && <p className="kept-unsaved">{kind === 'document' ? t('keptUnsavedDocument') : t('keptUnsavedSession')}</p>}
      {kind === 'session' ? (
        <button type="button" onClick={onSignIn}>
          {t('signInAgain')}
        </button>
      ) : (
        <p>
          <Link to="/documents">{t('back')}</Link>
        </p>
      )}
    </section>
  );
}

export function NotFound() {
  const { t } = useT();
  return (
    <section aria-labelledby="page-heading">
      <PageHeading title={t('pageNotFound')}>{t('pageNotFound')}</PageHeading>
      <p>{t('pageNotFoundText')}</p>
      <p>
        <Link to="/">{t('backHome')}</Link>
      </p>
    </section>
  );
}
