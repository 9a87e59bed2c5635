import { useT } from '../i18n/index.js';
import { PageHeading } from '../ui.js';

/**
 * The accessibility statement that Swedish public services publish (lagen (2018:1937) om
 * tillgänglighet till digital offentlig service; WCAG 2.1 AA / EN 301 549).
 */
export function AccessibilityStatement() {
  const { t } = useT();
  return (
    <article aria-labelledby="page-heading">
      <PageHeading title={t('accessibilityStatement')}>{t('accessibilityStatement')}</PageHeading>
      <p>{t('a11yIntro')}</p>
      <h2>{t('a11yStatusHeading')}</h2>
      <p>{t('a11yStatus')}</p>
      <h2>{t('a11yGapsHeading')}</h2>
      <ul>
        <li>{t('a11yGapEditors')}</li>
        <li>{t('a11yGapAnnouncements')}</li>
      </ul>
      <h2>{t('a11yReportHeading')}</h2>
      <p>{t('a11yReport')}</p>
      <h2>{t('a11ySupervisionHeading')}</h2>
      <p>{t('a11ySupervision')}</p>
    </article>
  );
}
