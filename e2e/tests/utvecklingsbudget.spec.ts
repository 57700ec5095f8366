import { test, expect } from '@playwright/test';
import { checkPage, login } from './helpers';

test('utvecklingsbudget: en insats delas mellan parterna och kräver alla 13 parters beslut', async ({ browser }) => {
  const economist = await login(browser, 'ekonom');
  await economist.getByRole('link', { name: 'Utvecklingsbudget' }).click();
  await economist.getByLabel('År', { exact: true }).selectOption('2027');
  await economist.getByRole('button', { name: 'Visa' }).click();
  await expect(economist.getByRole('heading', { level: 1 })).toHaveText('Utvecklingsbudget 2027');
  await economist.getByRole('button', { name: 'Lägg till insats' }).click();
  await expect(economist.getByRole('alert')).toContainText('Insats: skriv vad insatsen gäller');
  await checkPage(economist, 'utvecklingsbudget-fel');

  await economist.getByLabel('Insats', { exact: true }).fill('Gemensam utbildning i palliativ vård');
  await economist.getByLabel('Belopp i kronor').fill('1 200 000');
  await economist.getByLabel('Finansiering').selectOption('statsbidrag');
  await economist.getByRole('button', { name: 'Lägg till insats' }).click();
  await expect(economist.getByRole('heading', { level: 1 })).toHaveText('Gemensam utbildning i palliativ vård');
  await expect(economist.locator('.facts')).toContainText('0 av 13 parter har beslutat');
  const parties = economist.getByRole('table', { name: /parts kostnad för insatsen/ });
  await expect(parties.getByRole('row').filter({ hasText: 'Region Örebro län' })).toContainText('600\u00a0000 kr');
  await economist.getByLabel('Part', { exact: true }).selectOption({ label: 'Region Örebro län' });
  await economist.getByLabel('Protokoll', { exact: true }).fill('RS 2026-12-08 § 12');
  await economist.getByRole('button', { name: 'Registrera beslut' }).click();
  await expect(economist.locator('.facts')).toContainText('1 av 13 parter har beslutat');
  await expect(parties.getByRole('row').filter({ hasText: 'Region Örebro län' })).toContainText('Beslutat ja');
  await checkPage(economist, 'utvecklingsbudget-insats');

  await economist.getByRole('link', { name: /Utvecklingsbudget 2027/ }).click();
  const costs = economist.getByRole('table', { name: /Varje parts kostnad 2027/ });
  await expect(costs.locator('tfoot')).toContainText('1\u00a0200\u00a0000 kr');
  await checkPage(economist, 'utvecklingsbudget-2027');
  const workbook = economist.waitForEvent('download');
  await economist.getByRole('link', { name: 'Ladda ner Excel' }).click();
  expect((await workbook).suggestedFilename()).toBe('utvecklingsbudget-2027.xlsx');
});
