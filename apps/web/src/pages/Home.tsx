import { Link } from 'react-router';
import { useT } from '../i18n/index.js';
import { useDocuments, useMe } from '../session.js';
import { PageHeading, UserText } from '../ui.js';
import { DocumentLink } from './Documents.js';

/** Home: my organisation, my groups, and the recently changed documents I can read (live). */
export function HomePage() {
  const { t } = useT();
  const me = useMe().data;
  const documents = useDocuments();
  if (!me) return null;
  const recent = documents.data?.slice(0, 8) ?? [];
  return (
    <section aria-labelledby="page-heading">
      <PageHeading title={t('navHome')}>
        {t('homeHeading', { name: me.user.name })}
      </PageHeading>
      <div className="cards">
        <section aria-labelledby="my-organisation" className="card">
          <h2 id="my-organisation">{t('myOrganisation')}</h2>
          <p>
            <UserText>{me.organisation.name}</UserText> ({t(`kind_${me.organisation.kind}`)})
          </p>
          <p>
            <UserText>{me.network.name}</UserText>
          </p>
        </section>
        <section aria-labelledby="my-groups" className="card">
          <h2 id="my-groups">{t('myGroups')}</h2>
          {me.groups.length === 0 ? (
            <p>{t('noGroups')}</p>
          ) : (
            <ul>
              {me.groups.map((group) => (
                <li key={group.id}>
                  <UserText>{group.name}</UserText> ({t(`groupKind_${group.kind}`)}, {t('groupOrganisations', { count: group.organisationIds.length })})
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      <section aria-labelledby="recent-documents">
        <h2 id="recent-documents">{t('recentDocuments')}</h2>
        {documents.isError && <p role="alert">{t('loadFailed')}</p>}
        {documents.isSuccess && recent.length === 0 && <p>{t('noDocuments')}</p>}
        <ul className="document-list">
          {recent.map((document) => (
            <li key={document.id}>
              <DocumentLink document={document} />
            </li>
          ))}
        </ul>
        <p>
          <Link to="/documents">{t('allDocuments')}</Link>
        </p>
      </section>
    </section>
  );
}
