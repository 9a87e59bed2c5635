import { useMemo } from 'react';
import { useT } from '../../i18n/index.js';
import { useOrganisations } from '../../session.js';
import { UserText } from '../../ui.js';

/** How an organisation is named: its own name (typed by people) or, without one, a catalogue text. */
export interface OrganisationLabel {
  text: string;
  userContent: boolean;
}

/** Names of organisations by id, and their order (alphabetical, as the server lists them). */
export function useOrganisationNames(): { order: string[]; label: (organisationId: string | null) => OrganisationLabel } {
  const { t } = useT();
  const organisations = useOrganisations();
  return useMemo(() => {
    const names = new Map((organisations.data ?? []).map((organisation) => [organisation.id, organisation.name]));
    return {
      order: (organisations.data ?? []).map((organisation) => organisation.id),
      label: (organisationId: string | null) => {
        const name = organisationId === null ? undefined : names.get(organisationId);
        return name === undefined ? { text: t('overviewNoOrganisation'), userContent: false } : { text: name, userContent: true };
      },
    };
  }, [organisations.data, t]);
}

/** An organisation's name in running text. */
export function OrganisationName({ label }: { label: OrganisationLabel }) {
  return label.userContent ? <UserText>{label.text}</UserText> : <>{label.text}</>;
}
