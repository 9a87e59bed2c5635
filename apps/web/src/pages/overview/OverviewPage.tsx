import { useQuery } from '@tanstack/react-query';
import { api, errorText } from '../../api.js';
import { useT } from '../../i18n/index.js';
import { ErrorAlert, PageHeading } from '../../ui.js';
import { ChartPatterns } from './chartParts.js';
import { ImpactByOrganisation } from './ImpactByOrganisation.js';
import { MeasuresBySector } from './MeasuresBySector.js';
import { useOrganisationNames } from './organisationNames.js';
import { type OverviewResponse, hasFigures, impactByOrganisation } from './overviewData.js';
import { TargetProgress } from './TargetProgress.js';

/**
 * `/overview`: the network's figures over the plans the user may read — measures by sector and
 * status per organisation, expected against achieved impact, and targets against their
 * trajectory. Each chart is an image with a short name for assistive tech, followed by a table
 * with the same figures (the table is the accessible form; the chart adds nothing it lacks).
 */
export default function OverviewPage() {
  const { t, locale } = useT();
  const overview = useQuery({ queryKey: ['overview'], queryFn: () => api.get<OverviewResponse>('/api/overview') });
  const names = useOrganisationNames();

  return (
    <section aria-labelledby="page-heading" className="overview">
      <PageHeading title={t('overviewHeading')}>{t('overviewHeading')}</PageHeading>
      <p>{t('overviewIntro')}</p>
      {overview.isPending ? (
        <p role="status">{t('overviewLoading')}</p>
      ) : overview.isError ? (
        <ErrorAlert message={errorText(t, locale, overview.error)} />
      ) : (
        <OverviewFigures overview={overview.data} names={names} />
      )}
    </section>
  );
}

function OverviewFigures({ overview, names }: { overview: OverviewResponse; names: ReturnType<typeof useOrganisationNames> }) {
  const { t } = useT();
  const impact = impactByOrganisation(overview.measures, names.order);
  const targets = overview.targets.filter(hasFigures);
  const targetsWithoutFigures = overview.targets.length - targets.length;
  if (overview.totals.measures === 0 && targets.length === 0) return <p className="overview-empty">{t('overviewEmpty')}</p>;

  return (
    <>
      <ChartPatterns />
      <h2>{t('overviewSummaryHeading')}</h2>
      <ul className="overview-summary">
        <li>{t('overviewSummaryMeasures', { count: overview.totals.measures })}</li>
        <li>{t('overviewSummaryExpected', { value: overview.totals.estimatedCo2ReductionT })}</li>
        <li>{t('overviewSummaryActual', { value: overview.totals.actualCo2ReductionT })}</li>
      </ul>
      {overview.totals.measures > 0 ? (
        <>
          <MeasuresBySector cells={overview.measures} organisations={impact.map((row) => row.organisationId)} organisationLabel={names.label} />
          <ImpactByOrganisation rows={impact} totals={overview.totals} organisationLabel={names.label} />
        </>
      ) : null}
      <section aria-labelledby="overview-targets-heading">
        <h2 id="overview-targets-heading">{t('overviewTargetsHeading')}</h2>
        <p>{t('overviewTargetsIntro')}</p>
        {targets.length === 0 ? <p>{t('overviewNoTargets')}</p> : null}
        {targets.map((target) => (
          <TargetProgress key={`${target.documentId}/${target.id}`} target={target} organisationLabel={names.label} />
        ))}
        {targetsWithoutFigures > 0 ? <p className="meta">{t('overviewTargetsWithoutFigures', { count: targetsWithoutFigures })}</p> : null}
      </section>
    </>
  );
}
