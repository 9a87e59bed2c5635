import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { accessibilityViolations, screenshot, signIn, useServerAndBrowser, VIEWPORT } from './harness.js';

/**
 * The web app shell end to end, in two browser contexts: an administrator and an invited
 * coordinator of another municipality. Sharing, revoking and deactivating act on the other
 * user's open tab without a reload.
 */
describe('app shell: invitation, sharing, revoking, deactivation', () => {
  const running = useServerAndBrowser();


  async function expectAccessible(page: Page, name: string, readme = false): Promise<void> {
    expect(await accessibilityViolations(page), name).toEqual([]);
    await screenshot(page, name, { readme });
  }

  it('admin invites a coordinator, shares a plan with her organisation, revokes it and deactivates her', async () => {
    const admin = await (await running.browser.newContext({ viewport: VIEWPORT })).newPage();
    await admin.goto(running.server.url);
    await admin.getByRole('heading', { name: 'Kom igång' }).waitFor();
    await admin.getByLabel('Nätverkets namn').fill('Norrbottens energinätverk');
    await admin.getByLabel('Din organisation').fill('Energikontor Norr');
    await admin.getByLabel('Ditt namn').fill('Åsa Admin');
    await admin.getByLabel('E-postadress').fill('asa@energikontor.test');
    await admin.getByLabel('Lösenord (minst 12 tecken)').fill('Isbrytare-i-Luleå-2026');
    await admin.getByRole('button', { name: 'Skapa nätverket' }).click();
    await admin.getByRole('heading', { name: 'Välkommen, Åsa Admin' }).waitFor();

    // Administration: a municipality and an invitation for its coordinator.
    await admin.getByRole('link', { name: 'Administration' }).click();
    await admin.getByRole('heading', { name: 'Administration', level: 1 }).waitFor();
    await admin.getByLabel('Namn', { exact: true }).fill('Piteå kommun');
    await admin.getByRole('button', { name: 'Lägg till organisation' }).click();
    await admin.getByRole('status').filter({ hasText: 'Organisationen Piteå kommun är tillagd.' }).waitFor();
    await admin.getByRole('cell', { name: 'Piteå kommun' }).waitFor();
    const inviteForm = admin.getByRole('form', { name: 'Bjud in' });
    await inviteForm.getByLabel('E-postadress').fill('pia@pitea.test');
    await inviteForm.getByLabel('Organisation').selectOption({ label: 'Piteå kommun' });
    await inviteForm.getByRole('button', { name: 'Bjud in' }).click();
    const invitationUrl = await inviteForm.getByLabel('Länk').inputValue();
    expect(invitationUrl).toMatch(/\/invitations\/[A-Za-z0-9_-]+$/);
    await admin.getByRole('listitem').filter({ hasText: 'pia@pitea.test' }).waitFor();
    await expectAccessible(admin, 'admin', true);

    // The coordinator accepts in her own browser context and keeps the document list open.
    const pia = await (await running.browser.newContext({ viewport: VIEWPORT })).newPage();
    await pia.goto(invitationUrl);
    await pia.getByRole('heading', { name: 'Skapa ditt konto' }).waitFor();
    await pia.getByLabel('Ditt namn').fill('Pia Persson');
    await pia.getByLabel('Lösenord (minst 12 tecken)').fill('Havsörn-över-Piteälven');
    await pia.getByRole('button', { name: 'Skapa konto' }).click();
    await pia.getByRole('heading', { name: 'Välkommen, Pia Persson' }).waitFor();
    expect(await pia.getByText('Piteå kommun (Kommun)').isVisible()).toBe(true);
    await pia.getByRole('link', { name: 'Dokument', exact: true }).click();
    await pia.getByRole('heading', { name: 'Dokument', exact: true }).waitFor();
    await pia.getByText('Inga dokument ännu.').waitFor();

    // The admin creates a private plan: Pia does not see it.
    await admin.getByRole('link', { name: 'Dokument', exact: true }).click();
    await admin.getByLabel('Titel').fill('Klimatplan Luleå');
    await admin.getByRole('button', { name: 'Skapa' }).click();
    await admin.getByRole('heading', { name: 'Klimatplan Luleå', level: 1 }).waitFor();
    await admin.getByRole('textbox', { name: 'Sammanfattning' }).fill('Laddinfrastruktur längs E4.');
    await admin.getByRole('status').filter({ hasText: 'Sparat' }).waitFor();
    await expectAccessible(admin, 'document', true);

    // Share with Piteå kommun through the dialog: it appears in Pia's open list, no reload.
    await admin.getByRole('button', { name: 'Dela' }).click();
    const dialog = admin.getByRole('dialog', { name: 'Dela ”Klimatplan Luleå”' });
    await dialog.waitFor();
    await dialog.getByLabel('Dela med').selectOption({ label: 'Piteå kommun' });
    await dialog.getByLabel('Behörighet').selectOption({ label: 'Kan redigera' });
    await dialog.getByRole('button', { name: 'Lägg till' }).click();
    await dialog.getByRole('status').filter({ hasText: 'Delat med Piteå kommun.' }).waitFor();
    await dialog.getByText('Organisation: Piteå kommun – Kan redigera').waitFor();
    await expectAccessible(admin, 'share-dialog', true);
    const piaLink = pia.getByRole('link', { name: 'Klimatplan Luleå' });
    const sharedAt = Date.now();
    await piaLink.waitFor({ timeout: 10_000 });
    console.log(`shared document appeared in the other user's open list after ${Date.now() - sharedAt} ms`);
    await pia.getByRole('status').filter({ hasText: '1 dokument' }).waitFor();
    await expectAccessible(pia, 'documents-shared');

    // …and in her search.
    await expect
      .poll(
        async () => {
          await pia.getByLabel('Sök i nätverkets dokument').fill('Klimatplan');
          await pia.getByRole('button', { name: 'Sök', exact: true }).click();
          return pia.locator('.search-results mark', { hasText: 'Klimatplan' }).count();
        },
        { timeout: 10_000 },
      )
      .toBeGreaterThan(0);
    await expectAccessible(pia, 'search', true);

    // Revoke: it disappears from her list.
    await dialog.getByRole('button', { name: 'Ta bort delningen med Piteå kommun' }).click();
    await dialog.getByRole('status').filter({ hasText: 'Delningen med Piteå kommun är borttagen.' }).waitFor();
    await dialog.getByText('Inte delat med någon ännu.').waitFor();
    await pia.locator('.document-list').getByRole('link', { name: 'Klimatplan Luleå' }).waitFor({ state: 'detached', timeout: 10_000 });
    await pia.getByText('Inga dokument ännu.').waitFor();
    await dialog.getByRole('button', { name: 'Stäng' }).click();
    await dialog.waitFor({ state: 'detached' });
    // Focus returns to the button that opened the dialog.
    // (react-aria restores it in the frame after the dialog unmounts.)
    await expect.poll(() => admin.evaluate(() => document.activeElement?.textContent), { timeout: 2000 }).toBe('Dela');

    // Pia opens the (now unshared) document by its address: a clear "no access" page.
    const piaDocument = await pia.context().newPage();
    await piaDocument.goto(admin.url());
    await piaDocument.getByRole('heading', { name: 'Ingen åtkomst' }).waitFor();
    await expectAccessible(piaDocument, 'no-access-document');
    await piaDocument.close();

    // The admin deactivates Pia: her open tab shows "no access" at once.
    await admin.getByRole('link', { name: 'Administration' }).click();
    await admin.getByRole('button', { name: 'Inaktivera Pia Persson' }).click();
    const confirm = admin.getByRole('alertdialog', { name: 'Inaktivera Pia Persson?' });
    await confirm.waitFor();
    await expectAccessible(admin, 'deactivate-confirm');
    await confirm.getByRole('button', { name: 'Inaktivera' }).click();
    await admin.getByRole('status').filter({ hasText: 'Pia Persson är inaktiverad.' }).waitFor();
    await admin.getByRole('row', { name: /Pia Persson/ }).getByRole('cell', { name: 'Inaktiverad' }).waitFor();
    const deactivatedAt = Date.now();
    await pia.getByRole('heading', { name: 'Ingen åtkomst' }).waitFor({ timeout: 10_000 });
    console.log(`deactivated user's open tab showed "no access" after ${Date.now() - deactivatedAt} ms`);
    expect(await pia.getByRole('alert').textContent()).toContain('Du är utloggad');
    await expectAccessible(pia, 'no-access-session');
    // Her session is gone for good: signing in again is refused.
    await pia.getByRole('button', { name: 'Logga in igen' }).click();
    await pia.getByLabel('E-postadress').fill('pia@pitea.test');
    await pia.getByLabel('Lösenord').fill('Havsörn-över-Piteälven');
    await pia.getByRole('button', { name: 'Logga in' }).click();
    await pia.getByRole('alert').waitFor();
    expect(await pia.getByRole('heading', { name: 'Logga in', exact: true }).isVisible()).toBe(true);

    // Home, profile: the remaining screens pass axe too.
    await admin.getByRole('link', { name: 'Start', exact: true }).click();
    await admin.getByRole('link', { name: 'Klimatplan Luleå' }).waitFor();
    await expectAccessible(admin, 'home', true);
    await admin.getByRole('link', { name: 'Min profil' }).click();
    await admin.getByRole('heading', { name: 'Min profil', level: 1 }).waitFor();
    await expectAccessible(admin, 'profile');
    await admin.context().close();
    await pia.context().close();
  });

  // Uses the network and the administrator the first test set up.
  it('admin changes a group: its name and members in a dialog, shown in the table and when opened again', async () => {
    const admin = await (await running.browser.newContext({ viewport: VIEWPORT })).newPage();
    await signIn(admin, running.server.url, { email: 'asa@energikontor.test', password: 'Isbrytare-i-Luleå-2026', name: 'Åsa Admin' });
    await admin.getByRole('link', { name: 'Administration' }).click();
    await admin.getByRole('heading', { name: 'Administration', level: 1 }).waitFor();
    await admin.getByLabel('Namn', { exact: true }).fill('Kalix kommun');
    await admin.getByRole('button', { name: 'Lägg till organisation' }).click();
    await admin.getByRole('status').filter({ hasText: 'Organisationen Kalix kommun är tillagd.' }).waitFor();
    const add = admin.getByRole('form', { name: 'Lägg till grupp' });
    await add.getByLabel('Gruppens namn').fill('Solenergi');
    await add.getByLabel('Piteå kommun').check();
    await add.getByRole('button', { name: 'Lägg till grupp' }).click();
    const row = admin.getByRole('row', { name: /Solenergi/ });
    await row.getByRole('cell', { name: 'Piteå kommun' }).waitFor();

    await row.getByRole('button', { name: 'Ändra gruppen Solenergi' }).click();
    const dialog = admin.getByRole('dialog', { name: 'Ändra gruppen Solenergi' });
    expect(await dialog.getByLabel('Piteå kommun').isChecked()).toBe(true);
    await dialog.getByLabel('Gruppens namn').fill('Solenergi i Norrbotten');
    await dialog.getByLabel('Kalix kommun').check();
    await dialog.getByLabel('Piteå kommun').uncheck();
    await expectAccessible(admin, 'group-dialog');
    await dialog.getByRole('button', { name: 'Spara gruppen' }).click();
    await admin.getByRole('status').filter({ hasText: 'Gruppen Solenergi i Norrbotten är sparad.' }).waitFor({ timeout: 10_000 });
    expect(await dialog.count()).toBe(0);
    // The focus is back on the button that opened the dialog.
    await expect.poll(() => admin.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Ändra gruppen Solenergi i Norrbotten');
    const changed = admin.getByRole('row', { name: /Solenergi i Norrbotten/ });
    await changed.getByRole('cell', { name: 'Kalix kommun', exact: true }).waitFor();

    // Opened again, the dialog shows the group as saved; Cancel changes nothing.
    await changed.getByRole('button', { name: 'Ändra gruppen Solenergi i Norrbotten' }).click();
    const again = admin.getByRole('dialog', { name: 'Ändra gruppen Solenergi i Norrbotten' });
    expect(await again.getByLabel('Gruppens namn').inputValue()).toBe('Solenergi i Norrbotten');
    expect(await again.getByLabel('Kalix kommun').isChecked()).toBe(true);
    expect(await again.getByLabel('Piteå kommun').isChecked()).toBe(false);
    await again.getByLabel('Gruppens namn').fill('Något annat');
    await again.getByLabel('Piteå kommun').check();
    await again.getByRole('button', { name: 'Avbryt' }).click();
    // Opened once more, it starts from the saved group, not from what was cancelled; nothing was sent.
    await changed.getByRole('button', { name: 'Ändra gruppen Solenergi i Norrbotten' }).click();
    expect(await again.getByLabel('Gruppens namn').inputValue()).toBe('Solenergi i Norrbotten');
    expect(await again.getByLabel('Piteå kommun').isChecked()).toBe(false);
    await again.getByRole('button', { name: 'Avbryt' }).click();
    await admin.reload();
    await admin.getByRole('row', { name: /Solenergi i Norrbotten/ }).getByRole('cell', { name: 'Kalix kommun', exact: true }).waitFor();
    expect(await admin.getByRole('row', { name: /Något annat/ }).count()).toBe(0);
    await admin.context().close();
  });
});
