import { CartesianGrid, Line, LineChart, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import { useT } from '../../i18n/index.js';
import { UserText } from '../../ui.js';
import { Legend, SERIES_COLOURS } from './chartParts.js';
import { useNumberFormat } from './formatNumber.js';
import { type OrganisationLabel, OrganisationName } from './organisationNames.js';
import { type OverviewTarget, trajectoryYears } from './overviewData.js';

/**
 * One target: its actual values (solid line with dots) against the straight trajectory from the
 * baseline to the target (dashed line), then a table of every year with both and whether the
 * actual value is on track.
 */
export function TargetProgress({ target, organisationLabel }: { target: OverviewTarget; organisationLabel: (organisationId: string | null) => OrganisationLabel }) {
  const { t } = useT();
  const format = useNumberFormat();
  const rows = trajectoryYears(target);
  const headingId = `overview-target-${target.documentId}-${target.id}`;
  const { baselineYear, baselineValue, targetYear, targetValue } = target;

  return (
    <article className="overview-target" aria-labelledby={headingId}>
      <h3 id={headingId}>
        <UserText>{target.indicator}</UserText>
      </h3>
      <p className="meta">
        {t('overviewTargetFrom')} <UserText>{target.documentTitle}</UserText> (<OrganisationName label={organisationLabel(target.organisationId)} />)
        {baselineYear !== null && baselineValue !== null && targetYear !== null && targetValue !== null ? (
          <>
            . {t('overviewTargetLine', { baselineYear, baselineValue, targetYear, targetValue })} <UserText>{target.unit}</UserText>.
          </>
        ) : null}
      </p>
      <div className="overview-chart" role="img" aria-label={t('overviewTargetChart')}>
        <Legend
          items={[
            { series: 'trajectory', label: t('overviewLegendTrajectory'), line: 'dashed' },
            { series: 'actualValues', label: t('overviewLegendActual'), line: 'solid' },
          ]}
        />
        <ResponsiveContainer width="100%" height={240}>
          <LineChart data={rows} accessibilityLayer={false} margin={{ top: 8, right: 24, bottom: 4, left: 8 }}>
            <CartesianGrid stroke="#c9d3cd" />
            <XAxis type="number" dataKey="year" domain={['dataMin', 'dataMax']} allowDecimals={false} tickFormatter={(year: number) => String(year)} stroke="#4d5a53" />
            <YAxis width={80} tickFormatter={(value: number) => format(value)} stroke="#4d5a53" />
            <Line dataKey="trajectory" stroke={SERIES_COLOURS.trajectory} strokeWidth={2} strokeDasharray="8 5" dot={false} connectNulls isAnimationActive={false} />
            <Line
              dataKey="actual"
              stroke={SERIES_COLOURS.actualValues}
              strokeWidth={2.5}
              dot={{ r: 4, fill: SERIES_COLOURS.actualValues, stroke: '#ffffff' }}
              connectNulls
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
      <table className="overview-table">
        <caption>
          {t('overviewTargetCaption')} <UserText>{target.indicator}</UserText> (<UserText>{target.unit}</UserText>)
        </caption>
        <thead>
          <tr>
            <th scope="col">{t('overviewYearColumn')}</th>
            <th scope="col" className="number">
              {t('overviewActual')}
            </th>
            <th scope="col" className="number">
              {t('overviewTrajectory')}
            </th>
            <th scope="col">{t('overviewOnTrackColumn')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.year}>
              <th scope="row">{String(row.year)}</th>
              <td className="number">{row.actual === null ? t('overviewNoValue') : format(row.actual)}</td>
              <td className="number">{row.trajectory === null ? t('overviewNoValue') : format(row.trajectory)}</td>
              <td>{row.onTrack === null ? t('overviewNoValue') : row.onTrack ? t('overviewOnTrack') : t('overviewOffTrack')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </article>
  );
}
