import { Bar, BarChart, CartesianGrid, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import { useT } from '../../i18n/index.js';
import { Legend, categoryTick, seriesFill } from './chartParts.js';
import { useNumberFormat } from './formatNumber.js';
import { type OrganisationLabel, OrganisationName } from './organisationNames.js';
import type { Impact, impactByOrganisation } from './overviewData.js';

const NONE = '-';

/**
 * Expected against achieved emission reductions per organisation (grouped bars: hatched for
 * expected, solid for achieved), followed by a table with both reductions and energy savings
 * and the network's totals.
 */
export function ImpactByOrganisation({
  rows,
  totals,
  organisationLabel,
}: {
  rows: ReturnType<typeof impactByOrganisation>;
  totals: Impact;
  organisationLabel: (organisationId: string | null) => OrganisationLabel;
}) {
  const { t } = useT();
  const format = useNumberFormat();
  const data = rows.map((row) => ({ key: row.organisationId ?? NONE, expected: row.estimatedCo2ReductionT, actual: row.actualCo2ReductionT }));
  const label = (key: string) => organisationLabel(key === NONE ? null : key);
  const figures = (impact: Impact) => [impact.measures, impact.estimatedCo2ReductionT, impact.actualCo2ReductionT, impact.estimatedEnergySavingsMwh, impact.actualEnergySavingsMwh];

  return (
    <section aria-labelledby="overview-impact-heading">
      <h2 id="overview-impact-heading">{t('overviewImpactHeading')}</h2>
      <div className="overview-chart" role="img" aria-label={t('overviewImpactChart')}>
        <Legend
          items={[
            { series: 'expected', label: t('overviewExpectedCo2') },
            { series: 'actual', label: t('overviewActualCo2') },
          ]}
        />
        <ResponsiveContainer width="100%" height={Math.max(140, 64 * data.length + 50)}>
          <BarChart data={data} layout="vertical" accessibilityLayer={false} margin={{ top: 4, right: 24, bottom: 4, left: 8 }} barGap={2}>
            <CartesianGrid horizontal={false} stroke="#c9d3cd" />
            <XAxis type="number" tickFormatter={(value: number) => format(value)} stroke="#4d5a53" />
            <YAxis type="category" dataKey="key" width={190} interval={0} stroke="#4d5a53" tick={categoryTick(label)} />
            <Bar dataKey="expected" fill={seriesFill('expected')} isAnimationActive={false} />
            <Bar dataKey="actual" fill={seriesFill('actual')} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <table className="overview-table">
        <caption>{t('overviewImpactCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('overviewOrganisation')}</th>
            <th scope="col" className="number">
              {t('overviewMeasureCount')}
            </th>
            <th scope="col" className="number">
              {t('overviewExpectedCo2')}
            </th>
            <th scope="col" className="number">
              {t('overviewActualCo2')}
            </th>
            <th scope="col" className="number">
              {t('overviewExpectedEnergy')}
            </th>
            <th scope="col" className="number">
              {t('overviewActualEnergy')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.organisationId ?? NONE}>
              <th scope="row">
                <OrganisationName label={organisationLabel(row.organisationId)} />
              </th>
              {figures(row).map((value, index) => (
                <td key={index} className="number">
                  {format(value)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t('overviewWholeNetwork')}</th>
            {figures(totals).map((value, index) => (
              <td key={index} className="number">
                {format(value)}
              </td>
            ))}
          </tr>
        </tfoot>
      </table>
    </section>
  );
}
