import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Formats a bare figure (a table cell, an axis tick) with i18next's Intl number formatter in the
 * current language. Not a catalogue message: a message made only of a placeholder would match
 * any text and blind the language test.
 */
export function useNumberFormat(): (value: number) => string {
  const { i18n } = useTranslation();
  return useCallback(
    (value: number) => {
      const formatter = i18n.services.formatter;
      return formatter ? String(formatter.format(value, 'number(maximumFractionDigits: 1)', i18n.language, {})) : String(value);
    },
    [i18n],
  );
}
