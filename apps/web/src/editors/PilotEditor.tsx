import { PILOT_SECTIONS, PILOT_STATUSES, type PilotSection, type PilotStatus, PilotLog, RECOMMENDATIONS, type Recommendation, SECTORS, type Sector } from '@samverkan/model';
import { useState } from 'react';
import type { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { type TKey, useT } from '../i18n/index.js';
import { useUsers } from '../session.js';
import { AdoptIntoPlan, AdoptedBy } from './AdoptIntoPlan.js';
import { type Present, EditingMarker } from './Presence.js';
import { RichText } from './RichText.js';
import { SelectField, TextField, boundText } from '../fields.js';
import { useDocumentVersion } from './useSharedDocument.js';
import { useRemoteAnnouncements } from './announcements.js';

/** Sections shown together under "Results"; the two experiences are visibly distinct. */
const EXPERIENCE: readonly PilotSection[] = ['wentWell', 'wentLessWell'];

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** The pilot log: every section of the model, dated log entries, results, recommendation. */
export function PilotEditor({ doc, provider, present, editable, userId }: { doc: Y.Doc; provider: WebsocketProvider; present: Present[]; editable: boolean; userId: string }) {
  const { t } = useT();
  useDocumentVersion(doc);
  const pilot = new PilotLog(doc);
  const fields = pilot.fields;
  const readOnly = !editable;
  const awareness = provider.awareness;
  const users = useUsers();
  const nameOf = (id: string) => users.data?.find((user) => user.id === id)?.name ?? t('unknownName');
  const announcement = useRemoteAnnouncements(doc, provider, 'entries', (action, item) => {
    const author = item?.get('authorId');
    return action === 'add' ? t('announceEntryAdded', { name: nameOf(typeof author === 'string' ? author : '') }) : null;
  });
  const [entryDate, setEntryDate] = useState(today());
  const option = (prefix: string) => (value: string) => ({ value, label: t(`${prefix}_${value}` as TKey) });
  const section = (name: PilotSection, className = '') => (
    <section key={name} aria-labelledby={`section-${name}`} className={`pilot-section ${className}`}>
      <h2 id={`section-${name}`}>{t(`section_${name}` as TKey)}</h2>
      <p className="hint">{t(`sectionHint_${name}` as TKey)}</p>
      <RichText fragment={pilot.section(name)} awareness={awareness} label={t(`section_${name}` as TKey)} editable={editable} />
    </section>
  );

  return (
    <div className="pilot-editor">
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      <section aria-labelledby="pilot-facts">
        <h2 id="pilot-facts">{t('pilotFacts')}</h2>
        <div className="field-grid">
          <SelectField<Sector> label={t('filterSector')} value={fields.sector ?? ''} options={SECTORS.map(option('sector')) as { value: Sector; label: string }[]} empty={t('notChosen')} onChange={(value) => pilot.update({ sector: value || null })} readOnly={readOnly} />
          <TextField label={t('pilotTheme')} {...boundText(pilot, fields, 'theme')} readOnly={readOnly} />
          <SelectField<PilotStatus> label={t('filterStatus')} value={fields.status} options={PILOT_STATUSES.map(option('status')) as { value: PilotStatus; label: string }[]} onChange={(value) => value && pilot.update({ status: value })} readOnly={readOnly} />
          <TextField type="date" label={t('pilotStart')} value={fields.startDate} onChange={(startDate) => pilot.update({ startDate })} readOnly={readOnly} />
          <TextField type="date" label={t('pilotReview')} value={fields.reviewDate} onChange={(reviewDate) => pilot.update({ reviewDate })} readOnly={readOnly} />
          <TextField type="date" label={t('pilotEnd')} value={fields.endDate} onChange={(endDate) => pilot.update({ endDate })} readOnly={readOnly} />
        </div>
      </section>
      {PILOT_SECTIONS.filter((name) => name !== 'results' && !EXPERIENCE.includes(name) && name !== 'surprises').map((name) => section(name))}

      <section aria-labelledby="log-heading" className="log">
        <h2 id="log-heading">{t('logEntries')}</h2>
        {pilot.entries.length === 0 && <p>{t('noLogEntries')}</p>}
        <ol className="log-entries">
          {pilot.entries.map((entry) => (
            <li key={entry.id} className="log-entry">
              <h3 id={`entry-${entry.id}`}>
                {t('logEntryHeading', { date: entry.date ? new Date(`${entry.date}T12:00:00`) : new Date(), name: nameOf(entry.authorId) })}
              </h3>
              <EditingMarker present={present} itemKey={`entry:${entry.id}`} />
              <RichText fragment={entry.body} awareness={awareness} label={t('logEntryBody', { date: entry.date })} editable={editable} />
            </li>
          ))}
        </ol>
        {editable && (
          <div className="inline-form">
            <TextField type="date" label={t('logEntryDate')} value={entryDate} onChange={setEntryDate} readOnly={false} />
            {/* An empty or half-typed date is not replaced by today's without a word. */}
            {entryDate === '' && (
              <span role="alert" className="field-error">
                {t('logEntryDateMissing')}
              </span>
            )}
            <button
              type="button"
              disabled={entryDate === ''}
              onClick={() => {
                const entry = pilot.addEntry(userId, entryDate);
                // The new entry's text field takes the focus once it is rendered.
                setTimeout(() => document.getElementById(`entry-${entry.id}`)?.closest('li')?.querySelector<HTMLElement>('.ProseMirror')?.focus(), 50);
              }}
            >
              {t('addLogEntry')}
            </button>
          </div>
        )}
      </section>

      {section('results')}
      <div className="experiences">
        {section('wentWell', 'went-well')}
        {section('wentLessWell', 'went-less-well')}
      </div>
      {section('surprises')}

      <section aria-labelledby="recommendation-heading" className="recommendation">
        <h2 id="recommendation-heading">{t('recommendationHeading')}</h2>
        <div className="field-grid">
          <SelectField<Recommendation>
            label={t('recommendation')}
            value={fields.recommendation ?? ''}
            options={RECOMMENDATIONS.map(option('outcome')) as { value: Recommendation; label: string }[]}
            empty={t('notChosen')}
            onChange={(value) => pilot.update({ recommendation: value || null })}
            readOnly={readOnly}
          />
          <label className="checkbox">
            <input type="checkbox" checked={fields.shareAsGoodPractice} disabled={readOnly} onChange={(event) => pilot.update({ shareAsGoodPractice: event.target.checked })} />
            {t('shareAsGoodPractice')}
          </label>
        </div>
        {fields.shareAsGoodPractice && <p className="good-practice">{t('sharedAsGoodPractice')}</p>}
        <AdoptedBy itemId={null} />
        <AdoptIntoPlan what={pilot.title || t('untitledPilot')} />
      </section>
    </div>
  );
}
