import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, errorText, isPendingChange } from '../api.js';
import { SelectField } from '../fields.js';
import { useT } from '../i18n/index.js';
import { useDocuments, useOrganisations } from '../session.js';
import { ErrorAlert, UserText } from '../ui.js';

/** One adoption of this document's measures or recommendation, as the server lists it. */
interface Adoption {
  sourceItemId: string | null;
  adopterName: string | null;
  organisationId: string | null;
  adoptedAt: string;
  /** Only for a plan the viewer may read. */
  targetDocumentId?: string;
  targetTitle?: string;
}

function useAdoptions(documentId: string) {
  return useQuery({
    queryKey: ['adoptions', documentId],
    queryFn: async () => (await api.get<{ adoptions: Adoption[] }>(`/api/documents/${encodeURIComponent(documentId)}/adoptions`)).adoptions,
  });
}

/**
 * "Use in a plan of my own": copies a measure (`measureId`) or, without one, a pilot's results,
 * experiences and recommendation into a plan the user may edit, as a new measure that is
 * independent from then on. The source then lists who adopted it (see {@link AdoptedBy}). The
 * source is the open document unless `sourceDocumentId` says otherwise (a search result).
 */
export function AdoptIntoPlan({ measureId, what, sourceDocumentId }: { measureId?: string; what: string; sourceDocumentId?: string }) {
  const { t, locale } = useT();
  const openDocumentId = useParams().documentId ?? '';
  const documentId = sourceDocumentId ?? openDocumentId;
  const queryClient = useQueryClient();
  const plans = useDocuments({ type: 'plan' });
  const targets = (plans.data ?? []).filter((plan) => plan.id !== documentId && (plan.access === 'edit' || plan.access === 'manage'));
  const [open, setOpen] = useState(false);
  const [target, setTarget] = useState('');
  /** While the request runs: adopting twice would add two copies. */
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<{ planId: string; title: string } | null>(null);
  const formId = useId();
  /** The form closes under the focus when it is done: the focus goes back to the button that opened it. */
  const toggle = useRef<HTMLButtonElement>(null);

  /**
   * Closes the form once its copy is made (or will be): it cannot be sent again. The focus goes
   * back to the button when the form closes under it (not when the user has gone elsewhere).
   */
  const closeForm = () => {
    const active = document.activeElement;
    const form = document.getElementById(formId);
    setOpen(false);
    setTarget('');
    if (!active || active === document.body || form?.contains(active)) setTimeout(() => toggle.current?.focus(), 0);
  };

  const adopt = () => {
    const plan = targets.find((candidate) => candidate.id === target);
    if (!plan || sending) return;
    setSending(true);
    setError(null);
    setDone(null);
    api.post(`/api/documents/${encodeURIComponent(documentId)}/adopt`, { ...(measureId ? { measureId } : {}), targetPlanId: plan.id }).then(
      () => {
        setSending(false);
        closeForm();
        setDone({ planId: plan.id, title: plan.title });
        void queryClient.invalidateQueries({ queryKey: ['adoptions', documentId] });
      },
      (failure: unknown) => {
        setSending(false);
        setError(errorText(t, locale, failure));
        // The copy is made once the server can store it: the form must not offer it again.
        if (isPendingChange(failure)) closeForm();
      },
    );
  };

  return (
    <div className="adopt">
      <button type="button" ref={toggle} className="secondary" aria-expanded={open} aria-controls={open ? formId : undefined} onClick={() => setOpen(!open)}>
        {t('adoptOpen')}
      </button>
      <p role="status" className="status">
        {done && (
          <>
            {t('adoptDone', { what, plan: done.title })} <Link to={`/documents/${done.planId}`}>{t('adoptOpenPlan', { plan: done.title })}</Link>
          </>
        )}
      </p>
      <ErrorAlert message={error} />
      {open && (
        // A group, not a named form: a form with a name is a landmark, and two search hits of the
        // same title would make two landmarks of the same name.
        <form
          id={formId}
          onSubmit={(event) => {
            event.preventDefault();
            adopt();
          }}
        >
          <fieldset className="inline-form">
            <legend className="visually-hidden">{t('adoptFormLabel', { what })}</legend>
            {targets.length === 0 ? (
              <p className="hint">{plans.isPending ? t('loading') : t('adoptNoPlans')}</p>
            ) : (
              <>
                <p className="hint">{t('adoptHint')}</p>
                <SelectField
                  label={t('adoptTarget')}
                  value={target}
                  options={targets.map((plan) => ({ value: plan.id, label: plan.title, user: true }))}
                  empty={t('notChosen')}
                  onChange={setTarget}
                  readOnly={sending}
                />
                <button type="submit" disabled={target === '' || sending}>
                  {sending ? t('adoptSending') : t('adoptSubmit')}
                </button>
              </>
            )}
          </fieldset>
        </form>
      )}
    </div>
  );
}

/** Who has copied this measure (`itemId`) or, with `null`, this pilot's recommendation into their plans. */
export function AdoptedBy({ itemId }: { itemId: string | null }) {
  const { t } = useT();
  const documentId = useParams().documentId ?? '';
  const adoptions = useAdoptions(documentId);
  const organisations = useOrganisations();
  const mine = (adoptions.data ?? []).filter((adoption) => adoption.sourceItemId === itemId);
  if (mine.length === 0) return null;
  const organisationOf = (id: string | null) => organisations.data?.find((organisation) => organisation.id === id)?.name;
  return (
    <>
      <h3>{t('adoptedBy')}</h3>
      <ul className="adopted-by">
        {mine.map((adoption, index) => {
          const who = [adoption.adopterName ?? t('unknownName'), organisationOf(adoption.organisationId)].filter(Boolean).join(', ');
          return (
            <li key={`${adoption.adoptedAt}:${index}`}>
              <UserText>{who}</UserText>
              {' – '}
              {t('adoptedAt', { date: new Date(adoption.adoptedAt) })}
              {adoption.targetDocumentId && adoption.targetTitle && (
                <>
                  {' – '}
                  <Link to={`/documents/${adoption.targetDocumentId}`}>
                    <UserText>{adoption.targetTitle}</UserText>
                  </Link>
                </>
              )}
            </li>
          );
        })}
      </ul>
    </>
  );
}
