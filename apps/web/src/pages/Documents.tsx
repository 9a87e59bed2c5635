import { MEASURE_STATUSES, PILOT_STATUSES, RECOMMENDATIONS, SECTORS } from '@samverkan/model';
import type { DocumentSummary, DocumentType } from '@samverkan/protocol';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { api, errorText, isPendingChange } from '../api.js';
import { type TKey, useT } from '../i18n/index.js';
import { type DocumentFilters, useDocuments, useOrganisations } from '../session.js';
import { ErrorAlert, PageHeading, StatusMessage, UserText } from '../ui.js';
import { Search } from './Search.js';
import { SelectField } from '../fields.js';

/** A document in a list: its title (a link), type and when it last changed. */
export function DocumentLink({ document }: { document: DocumentSummary }) {
  const { t } = useT();
  return (
    <>
      <Link to={`/documents/${document.id}`}>
        <UserText>{document.title}</UserText>
      </Link>{' '}
      <span className="meta">
        {t(document.type)} · {t('updatedAt', { date: new Date(document.updatedAt) })}
      </span>
    </>
  );
}

const FILTER_KEYS = ['type', 'organisation', 'sector', 'status', 'outcome'] as const;

/** Documents: filters (in the address, so a filtered list can be bookmarked), search and a new document. */
export function DocumentsPage() {
  const { t, locale } = useT();
  const [params, setParams] = useSearchParams();
  const filters: DocumentFilters = Object.fromEntries(FILTER_KEYS.map((key) => [key, params.get(key) ?? '']));
  const documents = useDocuments(filters);
  const organisations = useOrganisations();
  const navigate = useNavigate();
  const location = useLocation();
  /** Which document the user removed to come here (see DocumentActions), said once. */
  const [removed, setRemoved] = useState<string | null>(null);
  useEffect(() => {
    const title = (location.state as { removed?: unknown } | null)?.removed;
    if (typeof title !== 'string') return;
    // Set after the status region is on the page, so that it is announced; and not again after a reload or Back.
    setRemoved(title);
    void navigate(`${location.pathname}${location.search}${location.hash}`, { replace: true, state: null });
  }, [location, navigate]);
  const queryClient = useQueryClient();
  const [title, setTitle] = useState('');
  const [type, setType] = useState<DocumentType>('plan');
  const [error, setError] = useState<string | null>(null);
  const filtered = FILTER_KEYS.some((key) => filters[key]);

  const setFilter = (key: (typeof FILTER_KEYS)[number], value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const statuses = [...new Set<string>([...MEASURE_STATUSES, ...PILOT_STATUSES])];
  const option = (prefix: string) => (value: string) => ({ value, label: t(`${prefix}_${value}` as TKey) });

  const create = (event: React.FormEvent) => {
    event.preventDefault();
    /** The document exists (its content may still wait for the store): the form starts afresh, the list shows it. */
    const listCreated = () => {
      setTitle('');
      void queryClient.invalidateQueries({ queryKey: ['documents'] });
    };
    api.post<DocumentSummary>('/api/documents', { type, title }).then(
      (created) => {
        listCreated();
        void navigate(`/documents/${created.id}`);
      },
      (failure: unknown) => {
        setError(errorText(t, locale, failure));
        // It gets its content once the store answers: not to be created a second time.
        if (isPendingChange(failure)) listCreated();
      },
    );
  };

  return (
    <section aria-labelledby="page-heading">
      <PageHeading title={t('documents')}>{t('documents')}</PageHeading>
      <StatusMessage message={removed === null ? null : t('documentRemoved', { title: removed })} />
      <Search />
      <fieldset className="filters">
        <legend>{t('filters')}</legend>
        <SelectField label={t('filterType')} value={filters.type ?? ''} onChange={(value) => setFilter('type', value)} options={(['plan', 'pilot', 'board'] as const).map((value) => ({ value, label: t(value) }))} empty={t('filterAll')} readOnly={false} />
        <SelectField label={t('filterOrganisation')}
          value={filters.organisation ?? ''}
          onChange={(value) => setFilter('organisation', value)}
          options={(organisations.data ?? []).map((organisation) => ({ value: organisation.id, label: organisation.name, user: true }))}
          empty={t('filterAll')}
          readOnly={false}
        />
        <SelectField label={t('filterSector')} value={filters.sector ?? ''} onChange={(value) => setFilter('sector', value)} options={SECTORS.map(option('sector'))} empty={t('filterAll')} readOnly={false} />
        <SelectField label={t('filterStatus')} value={filters.status ?? ''} onChange={(value) => setFilter('status', value)} options={statuses.map(option('status'))} empty={t('filterAll')} readOnly={false} />
        <SelectField label={t('filterOutcome')} value={filters.outcome ?? ''} onChange={(value) => setFilter('outcome', value)} options={RECOMMENDATIONS.map(option('outcome'))} empty={t('filterAll')} readOnly={false} />
        {filtered && (
          <button type="button" className="secondary" onClick={() => setParams(new URLSearchParams(), { replace: true })}>
            {t('clearFilters')}
          </button>
        )}
      </fieldset>
      {documents.isError && <p role="alert">{t('loadFailed')}</p>}
      <p role="status" className="status">
        {documents.isSuccess && (documents.data.length === 0 ? (filtered ? t('noMatchingDocuments') : t('noDocuments')) : t('documentCount', { count: documents.data.length }))}
      </p>
      <ul className="document-list" aria-labelledby="page-heading">
        {documents.data?.map((document) => (
          <li key={document.id}>
            <DocumentLink document={document} />
          </li>
        ))}
      </ul>
      <form onSubmit={create} aria-labelledby="new-document-heading">
        <h2 id="new-document-heading">{t('newDocument')}</h2>
        <ErrorAlert message={error} />
        <label>
          {t('title')} <input value={title} onChange={(event) => setTitle(event.target.value)} required maxLength={200} />
        </label>{' '}
        <label>
          {t('type')}{' '}
          <select value={type} onChange={(event) => setType(event.target.value as DocumentType)}>
            <option value="plan">{t('plan')}</option>
            <option value="pilot">{t('pilot')}</option>
            <option value="board">{t('board')}</option>
          </select>
        </label>{' '}
        <button type="submit">{t('create')}</button>
      </form>
    </section>
  );
}
