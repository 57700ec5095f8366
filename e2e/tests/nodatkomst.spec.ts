import { test, expect } from '@playwright/test';
import { checkPage, login, sendRequest } from './helpers';

test('nödåtkomst: Kumlas sjuksköterska öppnar en Örebropersons ärende med skäl; parterna och logggranskaren ser det först', async ({ browser }) => {
  const patient = { personnummer: '19030818-9802', name: 'Nora Nöd' };
  const doctor = await login(browser, 'lakare');
  // Nora has skyddad identitet: only the units working her case see where she lives.
  const address = 'Gömda gränd 3, 702 12 Örebro';
  const url = await sendRequest(doctor, patient, async (page) => {
    await page.getByLabel('Adress').fill(address);
    await page.getByLabel('Skyddad identitet (skyddad folkbokföring eller sekretessmarkering)').check();
  }, 'nodatkomst');
  await expect(doctor.locator('#adress')).toHaveText(address);

  // Without a relation the case is not found.
  const kumla = await login(browser, 'sjukskoterska.kumla');
  await kumla.goto(url);
  await expect(kumla.getByRole('heading', { level: 1 })).toHaveText('Begäran finns inte');

  // Nödåtkomst needs a reason.
  await kumla.getByRole('navigation').getByRole('link', { name: 'Nödåtkomst' }).click();
  await expect(kumla.getByRole('heading', { level: 1 })).toHaveText('Nödåtkomst');
  await kumla.getByLabel('Personnummer').fill(patient.personnummer);
  await kumla.getByLabel('Skäl').fill('akut');
  await kumla.getByRole('button', { name: 'Öppna med nödåtkomst' }).click();
  await expect(kumla.getByRole('alert')).toContainText('Skäl: skriv varför');
  await checkPage(kumla, '60-nodatkomst-fel');

  const reason = 'Nora söker akut hos oss i Kumla med bröstsmärta; Örebros hemsjukvård svarar inte.';
  await kumla.getByLabel('Skäl').fill(reason);
  await kumla.getByRole('button', { name: 'Öppna med nödåtkomst' }).click();
  await expect(kumla.getByRole('status')).toContainText(`Nödåtkomst till ${patient.name}`);
  await checkPage(kumla, '61-nodatkomst-oppnad');
  await kumla.getByRole('link', { name: /Öppna ärendet/ }).first().click();
  await expect(kumla.getByRole('heading', { level: 1 })).toHaveText(`Ärende: ${patient.name}`);
  await expect(kumla.getByText('Du läser ärendet med nödåtkomst.')).toBeVisible();
  await expect(kumla.locator('#skyddad-identitet')).toContainText('adress och telefon visas bara för dem som arbetar med ärendet');
  await expect(kumla.getByText(address)).toHaveCount(0);
  await checkPage(kumla, '62-nodatkomst-arende');

  // The sender sees who opened the case, when and why.
  await doctor.goto(url);
  const notice = doctor.getByRole('region', { name: 'Nödåtkomst till personens ärenden' });
  await expect(notice).toContainText('Hemsjukvården Kumla');
  await expect(notice).toContainText(reason);

  // Örebro's log reviewer finds it first, with the reason.
  const reviewer = await login(browser, 'logggranskare');
  const firstRow = reviewer.locator('table tbody tr').first();
  await expect(firstRow).toContainText('Nödåtkomst.');
  await expect(firstRow).toContainText('sjukskoterska.kumla');
  await expect(firstRow).toContainText(reason);
  await checkPage(reviewer, '63-logg-nodatkomst-forst');
});
