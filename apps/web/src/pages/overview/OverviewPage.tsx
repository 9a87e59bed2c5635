import { useT } from '../../i18n/index.js';
import { PageHeading } from '../../ui.js';

/** `/overview`: the network's figures (charts with table alternatives). */
export default function OverviewPage() {
  const { t } = useT();
  return (
    <section aria-labelledby="page-heading">
      <PageHeading title={t('overviewHeading')}>{t('overviewHeading')}</PageHeading>
    </section>
  );
}
