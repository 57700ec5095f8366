import { test, expect } from '@playwright/test';
import { checkPage, login } from './helpers';

test('mätningen: demofilerna återger det publicerade utfallet för oktober 2025', async ({ browser }) => {
  const economist = await login(browser, 'ekonom');
  await economist.getByRole('link', { name: 'Mätning' }).click();
  await expect(economist.getByRole('heading', { level: 1 })).toHaveText('Hemsjukvårdsmätning 2025-10');
  await expect(economist.getByRole('status')).toContainText('Stämmer exakt med det publicerade utfallet');
  const main = economist.getByRole('table', { name: /Patienter per kategori/ });
  const orebro = main.getByRole('row').filter({ has: economist.getByRole('rowheader', { name: 'Örebro', exact: true }) });
  await expect(orebro).toContainText('1552');
  await expect(main.locator('tfoot')).toContainText('3947');
  await expect(economist.getByRole('img', { name: /Andel patienter per kategori/ })).toBeVisible();
  await expect(economist.getByRole('img', { name: /Inskrivna 65\+ i ordinärt boende/ })).toBeVisible();
  await expect(economist.getByRole('img', { name: /Timmar per patient/ })).toBeVisible();
  const quality = economist.getByRole('region', { name: 'Datakvalitet' });
  await expect(quality).toContainText('Exakt likadana aktivitetsrader');
  await expect(quality).toContainText('inte blir 100,0 %');
  const category4 = economist.getByRole('table', { name: /2022 mättes 5 kommuner/ });
  await expect(category4.getByRole('row').filter({ hasText: 'Örebro' })).toContainText('70');
  await expect(economist.getByText('blir den 82,9')).toBeVisible();
  await checkPage(economist, 'matning-2025-10');

  const download = economist.waitForEvent('download');
  await economist.getByRole('link', { name: 'Ladda ner CSV' }).click();
  expect((await download).suggestedFilename()).toBe('matning-2025-10.csv');
  const workbook = economist.waitForEvent('download');
  await economist.getByRole('link', { name: 'Ladda ner Excel' }).click();
  expect((await workbook).suggestedFilename()).toBe('matning-2025-10.xlsx');

  await economist.getByLabel('Period', { exact: true }).selectOption('2022-10');
  await economist.getByRole('button', { name: 'Visa' }).click();
  const orebro2022 = economist.getByRole('table', { name: /Patienter per kategori/ }).getByRole('row').filter({ has: economist.getByRole('rowheader', { name: 'Örebro', exact: true }) });
  await expect(orebro2022).toContainText('38');
  await checkPage(economist, 'matning-2022-10');
});

test('återidentifiering i mätdata: bara administratören, och sökningen loggas', async ({ browser }) => {
  const economist = await login(browser, 'ekonom');
  const refused = await economist.goto('/matning/sok');
  expect(refused?.status()).toBe(403);
  const admin = await login(browser, 'administrator');
  await admin.goto('/matning/sok');
  await checkPage(admin, 'matning-sok');
  await admin.getByLabel('Personnummer').fill('19121212-1212');
  await admin.getByRole('button', { name: 'Sök' }).click();
  await expect(admin.getByRole('table', { name: /Aktiviteter/ })).toBeVisible();
  await checkPage(admin, 'matning-sok-resultat');
});
