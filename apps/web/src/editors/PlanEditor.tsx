import { DndContext, type DragEndEvent, KeyboardSensor, PointerSensor, closestCenter, useSensor, useSensors } from '@dnd-kit/core';
import { SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { ActionPlan, MEASURE_STATUSES, Measure, type MeasureStatus, SECTORS, type Sector, type Target } from '@samverkan/model';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { type TKey, useT } from '../i18n/index.js';
import { useDocuments, useOrganisations, useUsers } from '../session.js';
import { ConfirmButton, StatusMessage, UserText, focusAfterRemoving, focusSoon } from '../ui.js';
import { type Present, EditingMarker, editingBy } from './Presence.js';
import { RichText } from './RichText.js';
import { CheckboxGroup, NumberField, SelectField, TextField, boundText } from '../fields.js';
import { AdoptIntoPlan, AdoptedBy } from './AdoptIntoPlan.js';
import { ImportMeasures } from './ImportMeasures.js';
import { useDocumentVersion } from './useSharedDocument.js';
import { useRemoteAnnouncements } from './announcements.js';

const SDGS = Array.from({ length: 17 }, (_, index) => index + 1);

export function PlanEditor({ doc, provider, present, editable }: { doc: Y.Doc; provider: WebsocketProvider; present: Present[]; editable: boolean }) {
  const { t } = useT();
  useDocumentVersion(doc);
  const plan = new ActionPlan(doc);
  const awareness = provider.awareness;
  // `?measure=<id>` (a search hit, a link) opens that measure's details.
  const [params, setParams] = useSearchParams();
  const [selected, setSelected] = useState<string | null>(params.get('measure'));
  /** The linked measure, until its details were shown and focused once (it may arrive with the sync). */
  const linked = useRef(params.get('measure'));
  /** The address no longer holds the link once it was followed (a reload keeps what the user did since). */
  const dropLink = useCallback(
    () =>
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          next.delete('measure');
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  const announcement = useRemoteAnnouncements(doc, provider, 'measures', (action, item) => {
    if (action === 'delete') return t('announceMeasureRemoved');
    const title = item ? new Measure('', item).fields.title : '';
    return t('announceMeasureAdded', { title: title || t('untitledMeasure') });
  });
  const selectedMeasure = selected ? plan.measure(selected) : null;
  // A linked measure that is not there once the server's copy has arrived: said, not ignored.
  const [synced, setSynced] = useState(provider.synced);
  useEffect(() => {
    const onSync = (isSynced: boolean) => setSynced(isSynced);
    provider.on('sync', onSync);
    // A sync between the first render and this subscription is not missed.
    setSynced(provider.synced);
    return () => provider.off('sync', onSync);
  }, [provider]);
  const [linkedMissing, setLinkedMissing] = useState(false);
  useEffect(() => {
    if (!synced || linked.current === null || plan.measure(linked.current)) return;
    linked.current = null;
    setSelected(null);
    setLinkedMissing(true);
    dropLink();
  }, [synced, plan, dropLink]);
  useEffect(() => {
    if (!selectedMeasure || linked.current !== selectedMeasure.id) return;
    linked.current = null;
    const heading = document.getElementById('measure-detail-heading');
    heading?.scrollIntoView({ block: 'start' });
    // Not away from a field the user is already in (the measure may arrive late with the sync).
    const active = document.activeElement;
    if (!active || active === document.body || active.id === 'page-heading') heading?.focus();
    // Shown once (a reload after closing it keeps it closed).
    dropLink();
  }, [selectedMeasure, dropLink]);

  // What I have open is shown to the others ("being edited by").
  useEffect(() => {
    awareness.setLocalStateField('focus', selectedMeasure ? `measure:${selectedMeasure.id}` : null);
  }, [awareness, selectedMeasure]);

  return (
    <div className="plan-editor">
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      <StatusMessage message={linkedMissing ? t('linkedMeasureMissing') : null} />
      <section aria-labelledby="summary-heading">
        <h2 id="summary-heading">{t('planSummary')}</h2>
        <RichText fragment={plan.summary} awareness={awareness} label={t('planSummary')} editable={editable} />
      </section>
      <MeasuresSection plan={plan} present={present} editable={editable} selected={selectedMeasure?.id ?? null} onSelect={setSelected} />
      {selectedMeasure && (
        <MeasureDetail
          key={selectedMeasure.id}
          measure={selectedMeasure}
          provider={provider}
          present={present}
          editable={editable}
          onClose={() => {
            setSelected(null);
            focusSoon(`measure:${selectedMeasure.id}`);
          }}
        />
      )}
      <TargetsSection plan={plan} editable={editable} />
      {editable && <ImportMeasures />}
    </div>
  );
}

function TargetsSection({ plan, editable }: { plan: ActionPlan; editable: boolean }) {
  const { t } = useT();
  const targets = plan.targets;
  return (
    <section aria-labelledby="targets-heading">
      <h2 id="targets-heading">{t('targets')}</h2>
      {targets.length === 0 && <p>{t('noTargets')}</p>}
      {targets.map((target, index) => (
        <TargetCard
          key={target.id}
          target={target}
          number={index + 1}
          editable={editable}
          onRemove={() => {
            plan.removeTarget(target.id);
            focusAfterRemoving(targets, index, (other) => `target:${other.id}`, 'add-target');
          }}
        />
      ))}
      {editable && (
        <button type="button" className="secondary" data-focus-key="add-target" onClick={() => plan.addTarget()}>
          {t('addTarget')}
        </button>
      )}
    </section>
  );
}

function TargetCard({ target, number, editable, onRemove }: { target: Target; number: number; editable: boolean; onRemove: () => void }) {
  const { t } = useT();
  const fields = target.fields;
  const readOnly = !editable;
  const [year, setYear] = useState<number | null>(null);
  const [value, setValue] = useState<number | null>(null);
  const actuals = [...target.actuals].sort(([a], [b]) => a - b);
  // A year that has a value already: adding replaces it, and the form says so before.
  const replaced = year === null ? undefined : actuals.find(([actualYear]) => actualYear === year)?.[1];
  const name = fields.indicator || t('targetNumber', { number });
  return (
    <fieldset className="target" tabIndex={-1} data-focus-key={`target:${target.id}`}>
      <legend>
        {t('targetNumber', { number })}
        {fields.indicator && (
          <>
            {': '}
            <UserText>{fields.indicator}</UserText>
          </>
        )}
      </legend>
      <div className="field-grid">
        <TextField label={t('targetIndicator')} {...boundText(target, fields, 'indicator')} readOnly={readOnly} wide />
        <TextField label={t('targetUnit')} {...boundText(target, fields, 'unit')} readOnly={readOnly} />
        <TextField label={t('targetScope')} {...boundText(target, fields, 'scope')} readOnly={readOnly} />
        <NumberField label={t('baselineYear')} integer value={fields.baselineYear} onChange={(baselineYear) => target.update({ baselineYear })} readOnly={readOnly} />
        <NumberField label={t('baselineValue')} value={fields.baselineValue} onChange={(baselineValue) => target.update({ baselineValue })} readOnly={readOnly} />
        <NumberField label={t('targetYear')} integer value={fields.targetYear} onChange={(targetYear) => target.update({ targetYear })} readOnly={readOnly} />
        <NumberField label={t('targetValue')} value={fields.targetValue} onChange={(targetValue) => target.update({ targetValue })} readOnly={readOnly} />
      </div>
      <table className="actuals">
        <caption>{t('actualValues')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('year')}</th>
            <th scope="col">{t('actualValue')}</th>
            {editable && <th scope="col">{t('actions')}</th>}
          </tr>
        </thead>
        <tbody>
          {actuals.length === 0 && (
            <tr>
              <td colSpan={editable ? 3 : 2}>{t('noActualValues')}</td>
            </tr>
          )}
          {actuals.map(([actualYear, actual], index) => (
            <tr key={actualYear}>
              <td>
                <UserText>{actualYear}</UserText>
              </td>
              <td>
                <UserText>{t('number', { value: actual })}</UserText>
              </td>
              {editable && (
                <td>
                  <button
                    type="button"
                    className="secondary"
                    data-focus-key={`actual:${target.id}:${actualYear}`}
                    aria-label={t('removeActualLabel', { year: actualYear })}
                    onClick={() => {
                      target.setActual(actualYear, null);
                      focusAfterRemoving(actuals, index, ([otherYear]) => `actual:${target.id}:${otherYear}`, `actual-year:${target.id}`);
                    }}
                  >
                    {t('remove')}
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {editable && (
        <div className="inline-form">
          <NumberField label={t('year')} integer value={year} onChange={setYear} readOnly={false} focusKey={`actual-year:${target.id}`} />
          <NumberField label={t('actualValue')} value={value} onChange={setValue} readOnly={false} />
          <button
            type="button"
            className="secondary"
            disabled={year === null || value === null}
            onClick={() => {
              if (year === null || value === null) return;
              target.setActual(year, value);
              setYear(null);
              setValue(null);
            }}
          >
            {replaced === undefined ? t('addActual') : t('replaceActual', { year })}
          </button>
          <p className="hint" role="status">
            {replaced !== undefined ? t('replacesActual', { year, value: t('number', { value: replaced }) }) : ''}
          </p>
          <ConfirmButton label={t('removeTarget')} accessibleLabel={t('removeTargetLabel', { name })} heading={t('removeTargetConfirm', { name })} text={t('removeConfirmText')} onConfirm={onRemove} />
        </div>
      )}
    </fieldset>
  );
}

function MeasureRow({
  measure,
  index,
  count,
  present,
  editable,
  selected,
  onSelect,
  onMove,
  onRemove,
}: {
  measure: Measure;
  index: number;
  count: number;
  present: Present[];
  editable: boolean;
  selected: boolean;
  onSelect: () => void;
  onMove: (direction: -1 | 1) => void;
  onRemove: () => void;
}) {
  const { t } = useT();
  const { attributes, listeners, setNodeRef, transform, transition, setActivatorNodeRef } = useSortable({ id: measure.id, disabled: !editable });
  const fields = measure.fields;
  const title = fields.title || t('untitledMeasure');
  const organisations = useOrganisations();
  const responsible = organisations.data?.find((organisation) => organisation.id === fields.responsibleBody)?.name ?? '';
  const beingEdited = editingBy(present, `measure:${measure.id}`).length > 0;
  return (
    <tr ref={setNodeRef} style={{ transform: CSS.Transform.toString(transform), transition }} className={`${selected ? 'selected' : ''} ${beingEdited ? 'being-edited' : ''}`}>
      {editable && (
        <td>
          <button type="button" className="drag-handle" ref={setActivatorNodeRef} {...attributes} {...listeners} aria-label={t('dragMeasure', { title })} aria-describedby="drag-instructions">
            <span aria-hidden="true">⠿</span>
          </button>
        </td>
      )}
      <td>{index + 1}</td>
      <td>
        <button type="button" className="link-button" data-focus-key={`measure:${measure.id}`} aria-expanded={selected} aria-controls={selected ? 'measure-detail' : undefined} onClick={onSelect}>
          <UserText>{title}</UserText>
        </button>{' '}
        <EditingMarker present={present} itemKey={`measure:${measure.id}`} />
      </td>
      <td>{fields.sector ? t(`sector_${fields.sector}`) : '–'}</td>
      <td>{t(`status_${fields.status}`)}</td>
      <td>
        <UserText>{responsible}</UserText>
      </td>
      {editable && (
        <td className="actions">
          <button type="button" className="secondary" disabled={index === 0} aria-label={t('moveUpLabel', { title })} onClick={() => onMove(-1)}>
            {t('moveUp')}
          </button>{' '}
          <button type="button" className="secondary" disabled={index === count - 1} aria-label={t('moveDownLabel', { title })} onClick={() => onMove(1)}>
            {t('moveDown')}
          </button>{' '}
          <ConfirmButton label={t('remove')} accessibleLabel={t('removeMeasureLabel', { title })} heading={t('removeMeasureConfirm', { title })} text={t('removeConfirmText')} onConfirm={onRemove} />
        </td>
      )}
    </tr>
  );
}

function MeasuresSection({ plan, present, editable, selected, onSelect }: { plan: ActionPlan; present: Present[]; editable: boolean; selected: string | null; onSelect: (id: string | null) => void }) {
  const { t } = useT();
  const measures = plan.measures;
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 4 } }), useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }));
  const titleOf = (id: string | number) => plan.measure(String(id))?.fields.title || t('untitledMeasure');
  const move = (id: string, direction: -1 | 1) => {
    const index = measures.findIndex((measure) => measure.id === id);
    const neighbour = measures[index + direction];
    if (neighbour) plan.moveMeasure(id, direction === -1 ? { before: neighbour.id } : { after: neighbour.id });
  };
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    const from = measures.findIndex((measure) => measure.id === active.id);
    const to = measures.findIndex((measure) => measure.id === over.id);
    plan.moveMeasure(String(active.id), from < to ? { after: String(over.id) } : { before: String(over.id) });
  };
  const add = () => {
    const measure = plan.addMeasure({ title: '' });
    onSelect(measure.id);
  };
  return (
    <section aria-labelledby="measures-heading">
      <h2 id="measures-heading">{t('measures')}</h2>
      <p id="drag-instructions" className="visually-hidden">
        {t('dragInstructions')}
      </p>
      {measures.length === 0 ? (
        <p>{t('noMeasures')}</p>
      ) : (
        <DndContext
          sensors={sensors}
          collisionDetection={closestCenter}
          onDragEnd={onDragEnd}
          accessibility={{
            screenReaderInstructions: { draggable: t('dragInstructions') },
            announcements: {
              onDragStart: ({ active }) => t('dragStart', { title: titleOf(active.id) }),
              onDragOver: ({ active, over }) => (over ? t('dragOver', { title: titleOf(active.id), other: titleOf(over.id) }) : t('dragOutside', { title: titleOf(active.id) })),
              onDragEnd: ({ active, over }) => (over ? t('dragEnd', { title: titleOf(active.id), other: titleOf(over.id) }) : t('dragCancel', { title: titleOf(active.id) })),
              onDragCancel: ({ active }) => t('dragCancel', { title: titleOf(active.id) }),
            },
          }}
        >
          <table className="measures">
            <caption className="visually-hidden">{t('measures')}</caption>
            <thead>
              <tr>
                {editable && (
                  <th scope="col">
                    <span className="visually-hidden">{t('order')}</span>
                  </th>
                )}
                <th scope="col">{t('numberColumn')}</th>
                <th scope="col">{t('measureTitle')}</th>
                <th scope="col">{t('filterSector')}</th>
                <th scope="col">{t('filterStatus')}</th>
                <th scope="col">{t('responsibleBody')}</th>
                {editable && <th scope="col">{t('actions')}</th>}
              </tr>
            </thead>
            <SortableContext items={measures.map((measure) => measure.id)} strategy={verticalListSortingStrategy}>
              <tbody>
                {measures.map((measure, index) => (
                  <MeasureRow
                    key={measure.id}
                    measure={measure}
                    index={index}
                    count={measures.length}
                    present={present}
                    editable={editable}
                    selected={selected === measure.id}
                    onSelect={() => onSelect(selected === measure.id ? null : measure.id)}
                    onMove={(direction) => move(measure.id, direction)}
                    onRemove={() => {
                      if (selected === measure.id) onSelect(null);
                      plan.removeMeasure(measure.id);
                      focusAfterRemoving(measures, index, (other) => `measure:${other.id}`, 'add-measure');
                    }}
                  />
                ))}
              </tbody>
            </SortableContext>
          </table>
        </DndContext>
      )}
      {editable && (
        <button type="button" data-focus-key="add-measure" onClick={add}>
          {t('addMeasure')}
        </button>
      )}
    </section>
  );
}

function MeasureDetail({ measure, provider, present, editable, onClose }: { measure: Measure; provider: WebsocketProvider; present: Present[]; editable: boolean; onClose: () => void }) {
  const { t } = useT();
  const fields = measure.fields;
  const readOnly = !editable;
  const organisations = useOrganisations();
  const users = useUsers();
  const pilots = useDocuments({ type: 'pilot' });
  const plans = useDocuments({ type: 'plan' });
  const title = fields.title || t('untitledMeasure');
  const option = (prefix: string) => (value: string) => ({ value, label: t(`${prefix}_${value}` as TKey) });
  return (
    <section id="measure-detail" className="detail-panel" aria-labelledby="measure-detail-heading">
      <div className="detail-header">
        <h2 id="measure-detail-heading" tabIndex={-1}>
          {t('measureDetail', { title })}
        </h2>
        <EditingMarker present={present} itemKey={`measure:${measure.id}`} />
        <button type="button" className="secondary" onClick={onClose}>
          {t('closeDetail')}
        </button>
      </div>
      <div className="field-grid">
        <TextField label={t('measureTitle')} {...boundText(measure, fields, 'title')} readOnly={readOnly} wide />
        <SelectField<Sector> label={t('filterSector')} value={fields.sector ?? ''} options={SECTORS.map(option('sector')) as { value: Sector; label: string }[]} empty={t('notChosen')} onChange={(value) => measure.update({ sector: value || null })} readOnly={readOnly} />
        <SelectField<MeasureStatus> label={t('filterStatus')} value={fields.status} options={MEASURE_STATUSES.map(option('status')) as { value: MeasureStatus; label: string }[]} onChange={(value) => value && measure.update({ status: value })} readOnly={readOnly} />
        <TextField label={t('statusReason')} {...boundText(measure, fields, 'statusReason')} readOnly={readOnly} wide />
        <SelectField
          label={t('responsibleBody')}
          value={fields.responsibleBody}
          options={(organisations.data ?? []).map((organisation) => ({ value: organisation.id, label: organisation.name, user: true }))}
          empty={t('notChosen')}
          onChange={(value) => measure.update({ responsibleBody: value })}
          readOnly={readOnly}
        />
        <TextField label={t('responsibleDepartment')} {...boundText(measure, fields, 'responsibleDepartment')} readOnly={readOnly} />
        <TextField label={t('areaOfIntervention')} {...boundText(measure, fields, 'areaOfIntervention')} readOnly={readOnly} />
        <TextField label={t('policyInstrument')} {...boundText(measure, fields, 'policyInstrument')} readOnly={readOnly} />
        <TextField type="date" label={t('implementationStart')} value={fields.implementationStart} onChange={(value) => measure.update({ implementationStart: value })} readOnly={readOnly} />
        <TextField type="date" label={t('implementationEnd')} value={fields.implementationEnd} onChange={(value) => measure.update({ implementationEnd: value })} readOnly={readOnly} />
        <NumberField label={t('implementationCost')} value={fields.implementationCost} onChange={(value) => measure.update({ implementationCost: value })} readOnly={readOnly} />
        <TextField label={t('funding')} {...boundText(measure, fields, 'funding')} readOnly={readOnly} />
        <NumberField label={t('estimatedCo2')} value={fields.estimatedCo2ReductionT} onChange={(value) => measure.update({ estimatedCo2ReductionT: value })} readOnly={readOnly} />
        <NumberField label={t('actualCo2')} value={fields.actualCo2ReductionT} onChange={(value) => measure.update({ actualCo2ReductionT: value })} readOnly={readOnly} />
        <NumberField label={t('estimatedEnergy')} value={fields.estimatedEnergySavingsMwh} onChange={(value) => measure.update({ estimatedEnergySavingsMwh: value })} readOnly={readOnly} />
        <NumberField label={t('actualEnergy')} value={fields.actualEnergySavingsMwh} onChange={(value) => measure.update({ actualEnergySavingsMwh: value })} readOnly={readOnly} />
        <TextField label={t('indicators')} {...boundText(measure, fields, 'indicators')} readOnly={readOnly} wide />
      </div>
      <h3 id={`description-${measure.id}`}>{t('measureDescription')}</h3>
      <RichText fragment={measure.description} awareness={provider.awareness} label={t('measureDescription')} editable={editable} />
      <CheckboxGroup
        legend={t('contactPeople')}
        options={(users.data ?? []).filter((user) => !user.deactivated).map((user) => ({ value: user.id, label: user.name, user: true }))}
        chosen={measure.contactUserIds}
        onChange={(chosen) => measure.setContactUserIds(chosen)}
        readOnly={readOnly}
      />
      <CheckboxGroup legend={t('sdgs')} options={SDGS.map((goal) => ({ value: String(goal), label: t(`sdg_${goal}` as TKey) }))} chosen={measure.sdgs.map(String)} onChange={(chosen) => measure.setSdgs(chosen.map(Number))} readOnly={readOnly} />
      <CheckboxGroup
        legend={t('linkedPilots')}
        options={(pilots.data ?? []).map((pilot) => ({ value: pilot.id, label: pilot.title, user: true }))}
        chosen={measure.pilotLinks}
        onChange={(chosen) => measure.setPilotLinks(chosen)}
        readOnly={readOnly}
      />
      {measure.measureLinks.length > 0 && (
        <>
          <h3>{t('adoptedFrom')}</h3>
          <ul>
            {measure.measureLinks.map((link) => (
              <li key={`${link.planId}:${link.measureId}`}>
                <a href={`/documents/${link.planId}`}>
                  <UserText>{plans.data?.find((plan) => plan.id === link.planId)?.title ?? t('unknownName')}</UserText>
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
      <AdoptedBy itemId={measure.id} />
      <AdoptIntoPlan measureId={measure.id} what={title} />
    </section>
  );
}
