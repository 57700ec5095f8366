import { test, expect } from '@playwright/test';
import { checkPage, login, receivedMail, sendRequest } from './helpers';

test('en ny begäran syns i mottagarens öppna inkorg utan omladdning, och enheten får ett e-brev utan patientuppgifter', async ({ browser }) => {
  const address = 'hemsjukvarden.orebro@example.se';
  const admin = await login(browser, 'administrator');
  await admin.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Enheter' }).click();
  await admin.getByRole('link', { name: 'Ändra Hemsjukvården Örebro', exact: true }).click();
  await admin.getByLabel('E-post för avisering om ny begäran').fill('inte en adress');
  await admin.getByRole('button', { name: 'Spara ändringen' }).click();
  await expect(admin.locator('#avisering-error')).toContainText('skriv en e-postadress');
  await admin.getByLabel('E-post för avisering om ny begäran').fill(address);
  await admin.getByRole('button', { name: 'Spara ändringen' }).click();
  await expect(admin.getByRole('heading', { level: 1 })).toContainText('Enheter');

  const nurse = await login(browser, 'sjukskoterska');
  await expect(nurse.getByRole('heading', { level: 2, name: 'Att göra' })).toBeVisible();
  // A mark on the open page: it is gone if the page reloads.
  await nurse.evaluate(() => ((window as unknown as { samma: boolean }).samma = true));

  const patient = { personnummer: '19400404-9807', name: 'Vera Levande' };
  const doctor = await login(browser, 'lakare');
  await sendRequest(doctor, patient, async () => {}, 'inkorg-live');

  await expect(nurse.getByRole('link', { name: patient.name })).toBeVisible({ timeout: 15_000 });
  expect(await nurse.evaluate(() => (window as unknown as { samma?: boolean }).samma)).toBe(true);
  await checkPage(nurse, 'inkorg-live');

  await expect.poll(async () => (await receivedMail()).filter((m) => m.to.includes(address)).length, { timeout: 15_000 }).toBeGreaterThan(0);
  const [notice] = (await receivedMail()).filter((m) => m.to.includes(address));
  expect(notice.subject).toBe('Ny begäran i Samsyn');
  expect(notice.text).toContain('/begaran/');
  for (const secret of [patient.name, 'Vera', 'Levande', '19400404', '400404', '9807']) {
    expect(notice.subject + notice.text, `the notice must not say ${secret}`).not.toContain(secret);
  }
});

test('när sessionen har gått ut går hela sidan till inloggningen vid nästa hämtning', async ({ browser }) => {
  const nurse = await login(browser, 'sjukskoterska');
  await expect(nurse).toHaveURL(/\/inkorg$/);
  // The session ends on the server (here by signing out in another window with the same session),
  // while the inbox stays open.
  const other = await (await browser.newContext({ storageState: await nurse.context().storageState() })).newPage();
  await other.goto('/inkorg');
  await other.getByRole('button', { name: 'Logga ut' }).click();

  // Within one poll of the header badge (30 s) the whole page is the sign-in page.
  await expect(nurse).toHaveTitle('Logga in – Samsyn', { timeout: 40_000 });
  await expect(nurse).toHaveURL(/\/logga-in\?nasta=%2Finkorg/);
  await expect(nurse.getByRole('heading', { level: 1, name: 'Logga in' })).toHaveCount(1);
  await expect(nurse.locator('form[action="/logga-in"]')).toHaveCount(1);
  await expect(nurse.locator('#innehall')).toHaveCount(1);
  const duplicates = await nurse.evaluate(() => {
    const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
    return ids.filter((id, i) => ids.indexOf(id) !== i);
  });
  expect(duplicates).toEqual([]);
  await checkPage(nurse, 'session-slut');
});
