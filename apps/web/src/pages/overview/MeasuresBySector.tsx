import { SECTORS } from '@samverkan/model';
import { useId, useState } from 'react';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import { type TKey, useT } from '../../i18n/index.js';
import { Legend, categoryTick, seriesFill } from './chartParts.js';
import { useNumberFormat } from './formatNumber.js';
import { type OrganisationLabel, OrganisationName } from './organisationNames.js';
import { type OverviewCell, isKnownStatus, measuresBySector, statusesOf } from './overviewData.js';

/** Key of "no sector" and "no organisation" in the select and the chart. */
const NONE = '-';

/**
 * Measures by sector, stacked by status, for the whole network or one organisation (chosen in a
 * native select), followed by a table with the same counts.
 */
export function MeasuresBySector({
  cells,
  organisations,
  organisationLabel,
}: {
  cells: OverviewCell[];
  /** Organisations that own measures, in display order (null: documents without an owner). */
  organisations: (string | null)[];
  organisationLabel: (organisationId: string | null) => OrganisationLabel;
}) {
  const { t } = useT();
  const format = useNumberFormat();
  const selectId = useId();
  const [selected, setSelected] = useState('');
  const organisationId = selected === '' ? undefined : organisations.find((id) => (id ?? NONE) === selected);
  const rows = measuresBySector(cells, SECTORS, organisationId);
  const statuses = statusesOf(cells).filter((status) => rows.some((row) => row.byStatus[status]));
  const statusLabel = (status: string) => (isKnownStatus(status) ? t(`status_${status}` as TKey) : status);
  const sectorLabel = (sector: string | null) => ((SECTORS as readonly string[]).includes(sector ?? '') ? t(`sector_${sector}` as TKey) : sector === null ? t('overviewNoSector') : sector);
  const data = rows.map((row) => ({ key: row.sector ?? NONE, ...row.byStatus }));

  return (
    <section aria-labelledby="overview-measures-heading">
      <h2 id="overview-measures-heading">{t('overviewMeasuresHeading')}</h2>
      <label htmlFor={selectId} className="overview-filter">
        {t('overviewOrganisationFilter')}
      </label>
      <select id={selectId} value={selected} onChange={(event) => setSelected(event.target.value)}>
        <option value="">{t('overviewWholeNetwork')}</option>
        {organisations.map((id) => (
          <option key={id ?? NONE} value={id ?? NONE} {...(organisationLabel(id).userContent ? { 'data-user-content': '' } : {})}>
            {organisationLabel(id).text}
          </option>
        ))}
      </select>
      <div className="overview-chart" role="img" aria-label={t('overviewMeasuresChart')}>
        <Legend items={statuses.map((status) => ({ series: status, label: statusLabel(status) }))} />
        <ResponsiveContainer width="100%" height={Math.max(140, 48 * data.length + 50)}>
          <BarChart data={data} layout="vertical" accessibilityLayer={false} margin={{ top: 4, right: 24, bottom: 4, left: 8 }}>
            <CartesianGrid horizontal={false} stroke="#c9d3cd" />
            <XAxis type="number" allowDecimals={false} tickFormatter={(value: number) => format(value)} stroke="#4d5a53" />
            <YAxis
              type="category"
              dataKey="key"
              width={190}
              interval={0}
              stroke="#4d5a53"
              tick={categoryTick((key) => ({ text: sectorLabel(key === NONE ? null : key), userContent: false }))}
            />
            {statuses.map((status) => (
              <Bar key={status} dataKey={status} stackId="measures" fill={seriesFill(status)} stroke="#ffffff" strokeWidth={1} isAnimationActive={false} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
      <table className="overview-table">
        <caption>
          {t('overviewMeasuresCaption')} {organisationId === undefined ? t('overviewWholeNetwork') : <OrganisationName label={organisationLabel(organisationId)} />}
        </caption>
        <thead>
          <tr>
            <th scope="col">{t('overviewSector')}</th>
            {statuses.map((status) => (
              <th scope="col" key={status} className="number">
                {statusLabel(status)}
              </th>
            ))}
            <th scope="col" className="number">
              {t('overviewTotal')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.sector ?? NONE}>
              <th scope="row">{sectorLabel(row.sector)}</th>
              {statuses.map((status) => (
                <td key={status} className="number">
                  {format(row.byStatus[status] ?? 0)}
                </td>
              ))}
              <td className="number">{format(row.total)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
