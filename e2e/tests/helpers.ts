import { expect, Page, Browser } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import * as fs from 'fs';
import * as path from 'path';

const PASSWORD = 'samsyn-demo';
const SCREENSHOTS = path.resolve(__dirname, '../../artifacts/screenshots');

/** Words that must never reach a user: file paths, rule-set keys and references, code names and
 * times not in local time. Checked on every page a browser test looks at. */
const INTERNAL_WORDS: RegExp[] = [
  /seed 0/i,
  /\bdata\//,
  /orebro-2025@/,
  /\bUTC\b/,
  /\b(rule_set|measurement|additional_amount|follow_up|deviation|disagreement|enrollment|acknowledgement|joint_planning|discharge|treatment_plan|emergency_access|reserve_number|development_budget)\.[a-z_]+/,
];

/** Fails if the page's text shows an internal word (see INTERNAL_WORDS). */
export async function checkWording(page: Page, name: string) {
  const text = await page.locator('body').innerText();
  const found = INTERNAL_WORDS.filter((word) => word.test(text)).map((word) => {
    const at = text.search(word);
    return `${word}: …${text.slice(Math.max(0, at - 40), at + 40)}…`;
  });
  expect(found, `internal words on ${name}`).toEqual([]);
}

/** Fails on any serious or critical WCAG 2.1 A/AA violation or internal word, and keeps a
 * screenshot. */
export async function checkPage(page: Page, name: string, screenshot = true) {
  await checkWording(page, name);
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const blocking = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const summary = blocking.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  if (screenshot) {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  }
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


/** A date `days` from today in Sweden, as ÅÅÅÅ-MM-DD. */
export function isoDay(days: number): string {
  // Samsyn reckons days in Swedish time; the machine's zone may be another (UTC in CI), and
  // between 23 and 01 UTC the two disagree on what today is.
  const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date());
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export interface Patient {
  personnummer: string;
  name: string;
}

/** Fills in and sends the request form; the track-specific fields are set by `track`. */
export async function sendRequest(page: Page, patient: Patient, track: (page: Page) => Promise<void>, shot: string, trackLabel?: string) {
  await page.getByRole('link', { name: 'Ny begäran' }).click();
  await chooseTrack(page, trackLabel);
  await track(page);
  await fillRequest(page, patient);
  await checkPage(page, `${shot}-formular`);
  await page.getByRole('button', { name: 'Skicka begäran' }).click();
  await expect(page.getByRole('status')).toHaveText('Begäran är skickad till kommunen.');
  return page.url().split('?')[0];
}

/** The request form's first step: the track (the first offered unless `label` names one). A unit
 * that may send only one track goes straight to its form. */
export async function chooseTrack(page: Page, label?: string) {
  const next = page.getByRole('button', { name: 'Fortsätt' });
  if (await next.count() === 0) {
    return;
  }
  if (label) {
    await page.getByLabel(label).check();
  }
  await next.click();
  await expect(page.locator('.chosen-track')).toBeVisible();
}

/** Fills in the open request form for `patient`, consent included, living in `municipality`. */
export async function fillRequest(page: Page, patient: Patient, municipality = 'Örebro') {
  await page.locator('#personnummer').fill(patient.personnummer);
  await page.locator('#patient_name').fill(patient.name);
  await page.locator('#home_municipality').selectOption({ label: municipality });
  await page.locator('#situation').fill('Vill kunna bo kvar hemma.');
  await page.locator('#background').fill('Känd hjärtsvikt.');
  await page.locator('#current_assessment').fill('Stabil men skör.');
  await page.locator('#recommendation').fill('Insatser i hemmet. Mål: trygghet.');
  await page.locator('#care_contact_name').fill('Distriktssköterska Berg');
  await page.locator('#care_contact_phone').fill('031-390 06 10');
  // Specialised care names the person's vårdcentral itself; a vårdcentral's own is filled in.
  if (await page.locator('#health_centre_name').inputValue() === '') {
    await page.locator('#health_centre_name').fill('Vårdcentralen Örebro centrum');
    await page.locator('#health_centre_phone').fill('019-602 00 00');
  }
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

/** Records that track 1's criteria are met: the three judgements and a CFS of 6 today. */
export async function meetPrimaryCareCriteria(page: Page) {
  await page.getByLabel('Behov av samordning av vård och omsorg').check();
  await page.getByLabel('Vården kan ges tryggt och säkert i hemmet').check();
  await page.getByLabel('Behovet kan inte mötas med regionens digitala vårdlösningar').check();
  await page.getByLabel('Instrument').selectOption('cfs');
  await page.getByLabel('Datum (ÅÅÅÅ-MM-DD)').fill(isoDay(0));
  await page.getByLabel('Poäng').fill('6');
  await step(page, 'Spara uppgifterna för spåret', 'Uppgifterna för spåret är sparade.');
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
export async function decideEnrolled(page: Page, careLevel = 'hemsjukvard-ssk') {
  await page.getByLabel('Vårdnivå (vid inskrivning)').selectOption(careLevel);
  await page.getByLabel('Startdatum (vid inskrivning)').fill(isoDay(1));
  await page.getByLabel('Insatser som övergår till kommunen (vid inskrivning)').fill('Läkemedelshantering och viktkontroll.');
  await page.getByRole('group', { name: /Punktinsatser eller samordnad vård/ }).getByLabel('Samordnad vård: flera insatser').check();
  await page.getByRole('button', { name: 'Föreslå beslut: inskriven' }).click();
}

/** The other party opens the case, reads what confirming means, and confirms the proposal. */
export async function confirmDecision(page: Page, url: string, shot: string) {
  await page.goto(url);
  await expect(page.locator('#beslut-rubrik ~ p').first()).toContainText('Bekräftar du är beslutet fattat');
  await checkPage(page, `${shot}-bekrafta-beslut`);
  await step(page, 'Bekräfta beslutet', 'Beslutet är fattat av båda parter.');
}

/** Writes the user's party's items of the medicinsk behandlingsplan and saves them. */
export async function writePlan(page: Page, caseUrl: string, party: 'regionens' | 'kommunens', shot: string) {
  await page.goto(`${caseUrl}/plan`);
  if (party === 'regionens') {
    await page.locator('#region_doctor_name').fill('Doktor Ek');
    await page.locator('#region_doctor_phone').fill('031-390 06 11');
    await page.locator('#region_care_name').fill('Distriktssköterska Berg');
    await page.locator('#region_care_phone').fill('031-390 06 10');
    await page.getByLabel(/^1\. Prognos/).fill('Stabil hjärtsvikt; lätt kognitiv svikt.');
    await page.getByLabel(/^2\. Vårdnivå/).fill('Vård i hemmet. Vid försämring: ring vårdcentralen direkt, 031-390 06 11.');
    await page.getByLabel(/^4\. Handlingsplan/).fill('Viktökning över 2 kg på tre dagar: extra furosemid enligt ordination.');
  } else {
    await page.locator('#municipality_care_name').fill('Sara Sjöberg');
    await page.locator('#municipality_care_phone').fill('019-21 10 00');
    await page.getByLabel(/^3\. Punktinsatser/).fill('Inga punktinsatser: samordnad vård.');
    await page.getByRole('group', { name: 'Har parterna ett delat ansvar för insatserna?' }).getByLabel('Nej').check();
  }
  await page.getByRole('group', { name: 'Samordningsansvarig vårdkontakt' }).getByLabel('Kommunens vårdkontakt').check();
  await page.getByLabel(/^5\. När och av vem/).fill('Läkaren och kommunens sjuksköterska vid hembesök.');
  await page.getByLabel('Uppföljningsfrekvens').selectOption('3-manader');
  await page.locator('#first_follow_up').fill(isoDay(0));
  await checkPage(page, `${shot}-plan-${party}`);
  await step(page, `Spara ${party} delar`, 'Planen är sparad.');
}

/** Both parties have written the plan: the region's doctor and the municipality's nurse sign it,
 * one follow-up is recorded, and the doctor starts a second version that the two compare. */
export async function establishAndFollowUpPlan(doctor: Page, nurse: Page, caseUrl: string, shot: string) {
  await doctor.goto(`${caseUrl}/plan`);
  await step(doctor, 'Signera version 1', 'Din part har signerat.');
  await nurse.goto(`${caseUrl}/plan`);
  await expect(nurse.locator('.signatures').first()).toContainText('Signerad av Regionen');
  await checkPage(nurse, `${shot}-plan-signera`);
  await step(nurse, 'Signera version 1', 'Båda parter har signerat. Planen är fastställd.');
  await expect(nurse.locator('#gallande-rubrik ~ p').first()).toContainText('Version 1.');
  await expect(nurse.locator('#uppfoljning')).toContainText(`Nästa uppföljning: ${isoDay(0)}`);
  await checkPage(nurse, `${shot}-plan-faststalld`);

  await nurse.getByLabel('Datum för uppföljningen').fill(isoDay(0));
  await nurse.getByLabel('Vad följdes upp?').fill('Vikt, blodtryck och läkemedelslistan vid hembesök.');
  await nurse.getByRole('group', { name: 'Vad ledde uppföljningen till?' }).getByLabel('Fortsätt enligt planen').check();
  await step(nurse, 'Registrera uppföljning', 'Uppföljningen är registrerad');
  await expect(nurse.getByRole('table', { name: 'Registrerade uppföljningar' })).toContainText('Fortsätt enligt planen');
  await checkPage(nurse, `${shot}-plan-uppfoljning`);

  await doctor.goto(`${caseUrl}/plan`);
  await doctor.getByLabel(/^1\. Prognos/).fill('Hjärtsvikten har försämrats; NYHA III.');
  await step(doctor, 'Spara regionens delar', 'Planen är sparad.');
  await expect(doctor.getByRole('heading', { name: 'Version 2 skrivs' })).toBeVisible();
  await expect(doctor.locator('#gallande-rubrik ~ p').first()).toContainText('Version 1.');
  await doctor.getByRole('link', { name: 'Version 1 och 2' }).click();
  await expect(doctor.getByRole('heading', { level: 1 })).toContainText('Jämför version 1 och 2');
  await expect(doctor.locator('tr.changed')).toContainText('Hjärtsvikten har försämrats; NYHA III.');
  await checkPage(doctor, `${shot}-plan-jamfor`);
}

/** The joint planning with the person, held today at home; recorded by `page`'s party. */
export async function planJointly(page: Page, caseUrl: string, shot: string) {
  await page.goto(caseUrl);
  await page.getByLabel('Datum för planeringen').fill(isoDay(0));
  await page.getByRole('group', { name: 'Var hölls planeringen?' }).getByLabel('Hemma hos personen').check();
  await page.getByLabel('Deltagare från regionen').fill('Fast läkarkontakt');
  await page.getByLabel('Deltagare från kommunen').fill('Kommunens sjuksköterska');
  await page.getByRole('group', { name: 'Deltog personen?' }).getByLabel('Ja').check();
  await step(page, 'Registrera gemensam planering', 'Den gemensamma planeringen är registrerad.');
  await checkPage(page, `${shot}-planerad`);
}

/** From a confirmed decision to avslut, as tracks 1–3 go: planning within the week, the plan
 * written and signed by both with a follow-up and a compared second version, the insatser
 * started, avslut proposed by the region and confirmed by the municipality. */
export async function planFollowUpAndClose(region: Page, municipality: Page, caseUrl: string, shot: string) {
  await planJointly(municipality, caseUrl, shot);
  await writePlan(municipality, caseUrl, 'kommunens', shot);
  await writePlan(region, caseUrl, 'regionens', shot);
  await establishAndFollowUpPlan(region, municipality, caseUrl, shot);
  await municipality.goto(caseUrl);
  await step(municipality, 'Starta insatserna', 'Insatserna har startat.');
  await expect(municipality.locator('.state')).toHaveText('Pågående');
  await checkPage(municipality, `${shot}-pagaende`);
  await region.goto(caseUrl);
  await region.getByLabel('Skäl till avslut').fill('Behovet av vård i hemmet har upphört.');
  await region.getByLabel('Vart personen vänder sig nästa gång').fill('Vårdcentralen Örebro centrum, 019-602 00 00');
  await step(region, 'Föreslå avslut', 'Avslut är föreslaget.');
  await expect(region.locator('.state')).toHaveText('Avslut föreslaget');
  await checkPage(region, `${shot}-avslut-foreslaget`);
  await municipality.goto(caseUrl);
  await expect(municipality.locator('#avslut')).toContainText('Bekräftar du avslutas ärendet för båda parter');
  await confirmClosure(municipality, `${shot}-bekrafta-avslut`);
  await expect(municipality.locator('.state')).toHaveText('Avslutad');
  await checkPage(municipality, `${shot}-avslutad`);
}

/** What the test SMTP sink has received, parsed. */
export async function receivedMail(): Promise<{ to: string[]; subject: string; text: string }[]> {
  const response = await fetch(`http://127.0.0.1:${process.env.SAMSYN_E2E_SMTP_HTTP_PORT}/messages`);
  return response.json();
}

/** Confirms the other party's avslut on its confirmation page, which says it cannot be undone. */
export async function confirmClosure(page: Page, shot: string) {
  await page.getByRole('link', { name: 'Bekräfta avslut' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Bekräfta avslut');
  await expect(page.locator('.blockers')).toContainText('Det kan inte ångras');
  await checkPage(page, shot);
  await step(page, 'Ja, avsluta ärendet', 'Båda parter har bekräftat avslutet. Ärendet är avslutat.');
}
