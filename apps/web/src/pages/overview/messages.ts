/** Texts of the network overview page (merged into the app catalogue in i18n/messages.ts). */
export const overviewSv = {
  overviewHeading: 'Nätverksöversikt',
};

export const overviewEn: Record<keyof typeof overviewSv, string> = {
  overviewHeading: 'Network overview',
};
