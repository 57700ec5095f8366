import { expect, Page, Browser } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import * as fs from 'fs';
import * as path from 'path';

const PASSWORD = 'samsyn-demo';
const SCREENSHOTS = path.resolve(__dirname, '../../artifacts/screenshots');

/** Fails on any serious or critical WCAG 2.1 A/AA violation, and keeps a screenshot. */
export async function checkPage(page: Page, name: string) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const blocking = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const summary = blocking.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  expect(summary, `axe violations on ${name}`).toEqual([]);
}

export async function login(browser: Browser, username: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Logga in' })).toBeVisible();
  await page.getByLabel('Användarnamn').fill(username);
  await page.getByLabel('Lösenord').fill(PASSWORD);
  await page.getByRole('button', { name: 'Logga in' }).click();
  // Each role starts on its own work: care staff on the inbox, the others elsewhere.
  await expect(page.getByRole('heading', { level: 1, name: 'Logga in' })).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await checkPage(page, `start-${username}`);
  return page;
}


/** A date `days` from today, as ÅÅÅÅ-MM-DD. */
export function isoDay(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return d.toISOString().slice(0, 10);
}

export interface Patient {
  personnummer: string;
  name: string;
}

/** Fills in and sends the request form; the track-specific fields are set by `track`. */
export async function sendRequest(page: Page, patient: Patient, track: (page: Page) => Promise<void>, shot: string) {
  await page.getByRole('link', { name: 'Ny begäran' }).click();
  await track(page);
  await fillRequest(page, patient);
  await checkPage(page, `${shot}-formular`);
  await page.getByRole('button', { name: 'Skicka begäran' }).click();
  await expect(page.getByRole('status')).toHaveText('Begäran är skickad till kommunen.');
  return page.url().split('?')[0];
}

/** Fills in the open request form for `patient`, consent included, in Örebro. */
export async function fillRequest(page: Page, patient: Patient) {
  await page.locator('#personnummer').fill(patient.personnummer);
  await page.locator('#patient_name').fill(patient.name);
  await page.locator('#home_municipality').selectOption({ label: 'Örebro' });
  await page.locator('#situation').fill('Vill kunna bo kvar hemma.');
  await page.locator('#background').fill('Känd hjärtsvikt.');
  await page.locator('#current_assessment').fill('Stabil men skör.');
  await page.locator('#recommendation').fill('Insatser i hemmet. Mål: trygghet.');
  await page.locator('#care_contact_name').fill('Distriktssköterska Berg');
  await page.locator('#care_contact_phone').fill('031-390 06 10');
  if (await page.locator('#fixed_doctor_name').inputValue() === '') {
    await page.locator('#fixed_doctor_name').fill('Doktor Ek');
    await page.locator('#fixed_doctor_phone').fill('031-390 06 11');
  }
  await page.getByLabel('Personen, eller företrädaren, har samtyckt').check();
  await page.getByLabel('Vem lämnade samtycket').fill('Personen själv');
  await page.getByLabel('Hur samtycket lämnades').selectOption('muntligt');
}

/** Opens the case from the unit's inbox. */
export async function openFromInbox(page: Page, patient: Patient) {
  await page.getByRole('navigation').getByRole('link', { name: /^Begäranden/ }).click();
  await page.getByRole('row').filter({ hasText: patient.name }).getByRole('link', { name: patient.name }).click();
}

export async function step(page: Page, button: string, notice: string | RegExp) {
  await page.getByRole('button', { name: button, exact: true }).click();
  await expect(page.getByRole('status')).toContainText(notice);
}

export async function assess(page: Page, text: string) {
  await page.getByLabel('Din enhets bedömning').fill(text);
  await step(page, 'Registrera bedömning', 'Bedömningen är registrerad.');
}

export async function homeCheck(page: Page, ok: boolean) {
  if (ok) {
    await page.getByLabel('Rätt kompetens finns').check();
    await page.getByLabel('Medicinteknisk utrustning finns i hemmet').check();
  } else {
    await page.getByLabel('Rätt kompetens finns').check();
    await page.getByLabel('Vad ska åtgärdas').fill('Personlyft saknas i hemmet');
    await page.getByLabel('Ansvarig', { exact: true }).fill('Arbetsterapeut Aziz');
    await page.getByLabel('Klar senast (ÅÅÅÅ-MM-DD)').fill(isoDay(3));
  }
  await step(page, 'Registrera kontrollen', 'Kontrollen av hemmet är registrerad.');
}

/** Proposes the decision to enroll; the other party confirms it with `confirmDecision`. */
export async function decideEnrolled(page: Page) {
  await page.getByLabel('Vårdnivå (vid inskrivning)').fill('Hemsjukvård, sjuksköterska');
  await page.getByLabel('Startdatum (vid inskrivning)').fill(isoDay(1));
  await page.getByRole('button', { name: 'Föreslå beslut: inskriven' }).click();
}

/** The other party opens the case, reads what confirming means, and confirms the proposal. */
export async function confirmDecision(page: Page, url: string, shot: string) {
  await page.goto(url);
  await expect(page.locator('#beslut-rubrik ~ p').first()).toContainText('Bekräftar du är beslutet fattat');
  await checkPage(page, `${shot}-bekrafta-beslut`);
  await step(page, 'Bekräfta beslutet', 'Beslutet är fattat av båda parter.');
}
