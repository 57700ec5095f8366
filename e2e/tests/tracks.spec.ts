import { test, expect, Page } from '@playwright/test';
import { assess, checkPage, confirmClosure, confirmDecision, decideEnrolled, establishAndFollowUpPlan, homeCheck, isoDay, login, meetPrimaryCareCriteria, openFromInbox, planFollowUpAndClose, planJointly, sendRequest, step, writePlan } from './helpers';

test.describe.configure({ mode: 'serial' });

test('spår 1: kriterierna prövas innan inskrivning, sedan planering och start', async ({ browser }) => {
  const patient = { personnummer: '19000612-9803', name: 'Greta Gran' };
  const doctor = await login(browser, 'lakare');
  const url = await sendRequest(doctor, patient, async () => {}, 'spar1');

  const nurse = await login(browser, 'sjukskoterska');
  await openFromInbox(nurse, patient);
  await step(nurse, 'Kvittera mottagen begäran', 'Begäran är kvitterad.');
  await step(nurse, 'Påbörja gemensam bedömning', 'Den gemensamma bedömningen har börjat.');
  await expect(nurse.locator('.blockers')).toContainText('Ingen riskbedömning är registrerad.');
  await checkPage(nurse, 'spar1-under-bedomning');

  // An unmet criterion refuses the decision.
  await decideEnrolled(nurse);
  await expect(nurse.getByRole('alert')).toContainText('Beslut om inskrivning kan inte registreras ännu');
  await expect(nurse.locator('.state')).toHaveText('Under bedömning');
  // What was typed stays in the form.
  await expect(nurse.getByLabel('Vårdnivå (vid inskrivning)')).toHaveValue('hemsjukvard-ssk');
  await expect(nurse.getByLabel('Insatser som övergår till kommunen (vid inskrivning)')).toHaveValue('Läkemedelshantering och viktkontroll.');
  await checkPage(nurse, 'spar1-nekat-beslut');

  await meetPrimaryCareCriteria(nurse);
  await assess(nurse, 'Behöver läkemedelshantering och regelbunden viktkontroll.');
  await homeCheck(nurse, true);

  await nurse.getByLabel('Nytt meddelande').fill('Kan ni skicka aktuell läkemedelslista?');
  await nurse.getByLabel(/^Bilaga/).setInputFiles({ name: 'fragor.txt', mimeType: 'text/plain', buffer: Buffer.from('Frågor inför hembesöket') });
  await step(nurse, 'Skicka meddelande', 'Meddelandet är skickat.');

  await doctor.goto(url);
  const message = doctor.locator('.message').filter({ hasText: 'aktuell läkemedelslista' });
  await expect(message).toContainText('Bilaga: fragor.txt');
  await doctor.reload();
  await expect(doctor.locator('.message').first()).toContainText('Läst av: Hemsjukvården Örebro');
  await expect(doctor.locator('.message').first()).toContainText('Vårdcentralen Örebro centrum');
  await checkPage(doctor, 'spar1-meddelanden');
  await assess(doctor, 'Medicinskt stabil; hemsjukvård är rätt vårdnivå.');

  await nurse.goto(url);
  await expect(nurse.locator('#beslut-rubrik + p')).toContainText('Alla kriterier');
  await decideEnrolled(nurse);
  await expect(nurse.getByRole('status')).toContainText('Beslutsförslaget är registrerat: inskriven.');
  await expect(nurse.locator('.state')).toHaveText('Beslut föreslaget: inskriven');
  await expect(nurse.getByText('Väntar på att den andra parten bekräftar beslutet.')).toBeVisible();
  await expect(nurse.getByRole('button', { name: 'Bekräfta beslutet' })).toHaveCount(0);
  await checkPage(nurse, 'spar1-beslut-foreslaget');

  // The decision is the two parties': the vårdcentral's doctor confirms it.
  await confirmDecision(doctor, url, 'spar1');
  await expect(doctor.locator('.state')).toHaveText('Beslutad: inskriven');
  await expect(doctor.locator('.facts')).toContainText('Gemensam planering senast');
  await checkPage(doctor, 'spar1-inskriven');
  await nurse.goto(url);
  // The joint planning with the person, within the week: who, where, and whether she took part.
  await nurse.getByRole('button', { name: 'Registrera gemensam planering' }).click();
  await expect(nurse.getByRole('alert')).toContainText('Ange om personen deltog i planeringen.');
  await expect(nurse.locator('#planning_date-error')).toBeVisible();
  await checkPage(nurse, 'spar1-planering-fel');
  await nurse.getByLabel('Datum för planeringen').fill(isoDay(0));
  await nurse.getByRole('group', { name: 'Var hölls planeringen?' }).getByLabel('Hemma hos personen').check();
  await nurse.getByLabel('Deltagare från regionen').fill('Doktor Ek, läkare');
  await nurse.getByLabel('Deltagare från kommunen').fill('Sara Sjöberg, sjuksköterska');
  await nurse.getByRole('group', { name: 'Deltog personen?' }).getByLabel('Ja').check();
  await nurse.getByLabel('Närstående deltog').check();
  await step(nurse, 'Registrera gemensam planering', 'Den gemensamma planeringen är registrerad.');
  await expect(nurse.locator('#planering')).toContainText('Hemma hos personen');
  await checkPage(nurse, 'spar1-planerad');

  // The medicinsk behandlingsplan: each party writes its own items, both sign, one follow-up,
  // and a second version compared with the first.
  await writePlan(nurse, url, 'kommunens', 'spar1');
  await writePlan(doctor, url, 'regionens', 'spar1');
  await establishAndFollowUpPlan(doctor, nurse, url, 'spar1');

  await nurse.goto(url);
  await expect(nurse.locator('#plan')).toContainText('Version 1 gäller. Version 2 skrivs');
  await step(nurse, 'Starta insatserna', 'Insatserna har startat.');
  await expect(nurse.locator('.state')).toHaveText('Pågående');
  await expect(nurse.getByRole('table', { name: /händelser/i })).toContainText('Föreslå beslut: inskriven');
  await expect(nurse.getByRole('table', { name: /händelser/i })).toContainText('Bekräfta beslutet');
  await checkPage(nurse, 'spar1-pagaende');

  // Avslut needs both parties: the doctor proposes, saying where the person turns next time.
  await doctor.goto(url);
  await doctor.getByLabel('Skäl till avslut').fill('Såren har läkt och personen tar sig till vårdcentralen.');
  await doctor.getByRole('button', { name: 'Föreslå avslut' }).click();
  await expect(doctor.locator('#next_contact-error')).toContainText('Vart personen vänder sig nästa gång');
  await expect(doctor.getByLabel('Skäl till avslut')).toHaveValue('Såren har läkt och personen tar sig till vårdcentralen.');
  await checkPage(doctor, 'spar1-avslut-fel');
  await doctor.getByLabel('Vart personen vänder sig nästa gång').fill('Vårdcentralen Örebro centrum, 019-602 00 00');
  await doctor.getByRole('button', { name: 'Föreslå avslut' }).click();
  await expect(doctor.getByRole('status')).toContainText('Avslut är föreslaget.');
  await expect(doctor.locator('.state')).toHaveText('Avslut föreslaget');
  await expect(doctor.getByText('Väntar på att den andra parten bekräftar.')).toBeVisible();
  await expect(doctor.getByRole('link', { name: 'Bekräfta avslut' })).toHaveCount(0);
  await checkPage(doctor, 'spar1-avslut-foreslaget');

  // The nurse reads what confirming means, then confirms: only now is the case closed.
  await nurse.goto(url);
  await expect(nurse.locator('#avslut')).toContainText('Bekräftar du avslutas ärendet för båda parter');
  await expect(nurse.locator('#avslut')).toContainText('Vårdcentralen Örebro centrum, 019-602 00 00');
  await checkPage(nurse, 'spar1-avslut-bekrafta');
  await confirmClosure(nurse, 'spar1-avslut-bekraftelse');
  await expect(nurse.locator('.state')).toHaveText('Avslutad');
  await doctor.reload();
  await expect(doctor.locator('#avslut')).toContainText('Bekräftat av Sara Sjöberg');
  await checkPage(doctor, 'spar1-avslutad');
});

test('spår 2: läkemedelshantering från psykiatrin kräver alla åtta kriterier', async ({ browser }) => {
  const patient = { personnummer: '19070401-9801', name: 'Olle Ek' };
  const psychiatrist = await login(browser, 'psykiater');
  const url = await sendRequest(psychiatrist, patient, async (page: Page) => {
    await page.getByLabel('Spår 2: läkemedelshantering där behandlingsansvaret kvarstår hos psykiatrin').check();
  }, 'spar2', 'Spår 2: specialiserad vård');

  const nurse = await login(browser, 'sjukskoterska');
  await openFromInbox(nurse, patient);
  await step(nurse, 'Kvittera mottagen begäran', 'Begäran är kvitterad.');
  await step(nurse, 'Påbörja gemensam bedömning', 'Den gemensamma bedömningen har börjat.');

  await nurse.getByLabel('Datum för SIP (ÅÅÅÅ-MM-DD)').fill(isoDay(-1));
  await nurse.getByLabel('Deltagare').fill('Personen, psykiater, kommunens sjuksköterska');
  await nurse.getByLabel('Personen samtycker till SIP').check();
  const criteria = nurse.locator('input[name^="kriterium:"]');
  const count = await criteria.count();
  expect(count).toBe(8);
  for (let i = 0; i < count - 1; i++) {
    await criteria.nth(i).check();
  }
  await nurse.locator('#habitual_state').fill('Lugn, sköter måltider och hygien.');
  await nurse.locator('#doctor_contact').fill('Psykiatrins jour, 031-390 06 20');
  await step(nurse, 'Spara uppgifterna för spåret', 'Uppgifterna för spåret är sparade.');
  await expect(nurse.locator('.blockers')).toContainText('Kriteriet är inte uppfyllt: En SIP är upprättad innan överlämnandet.');
  await checkPage(nurse, 'spar2-sju-kriterier');

  await nurse.locator('input[name="kriterium:sip-upprattad"]').check();
  await step(nurse, 'Spara uppgifterna för spåret', 'Uppgifterna för spåret är sparade.');
  await expect(nurse.locator('.blockers')).not.toContainText('Kriteriet');
  await assess(nurse, 'Kan ta över läkemedelsöverlämning två gånger dagligen.');
  await homeCheck(nurse, false);
  await expect(nurse.getByRole('table', { name: 'Åtgärder' })).toContainText('Personlyft saknas i hemmet');

  await psychiatrist.goto(url);
  await assess(psychiatrist, 'Stabil medicinering, habitualtillstånd.');
  await decideEnrolled(psychiatrist);
  await expect(psychiatrist.locator('.state')).toHaveText('Beslut föreslaget: inskriven');
  await confirmDecision(nurse, url, 'spar2');
  await expect(nurse.locator('.state')).toHaveText('Beslutad: inskriven');
  await checkPage(nurse, 'spar2-inskriven');

  // The psychiatrist and the nurse plan, sign, follow up and end the care together.
  await planFollowUpAndClose(psychiatrist, nurse, url, 'spar2');
  // The responsibilities agreed at the SIP are part of the plan.
  await nurse.goto(`${url}/plan`);
  await expect(nurse.getByRole('heading', { name: 'Ansvarsfördelning enligt SIP' })).toBeVisible();
  await expect(nurse.locator('.checklist').first()).toContainText('bemötandeplan');
  await checkPage(nurse, 'spar2-plan-ansvar');
});

test('spår 3: utskrivning med ViSam, behandlingsplan och läkaransvar', async ({ browser }) => {
  const patient = { personnummer: '19010821-9817', name: 'Ture Tall' };
  const hospital = await login(browser, 'sjukhuslakare');
  const discharge = isoDay(-1);
  const url = await sendRequest(hospital, patient, async (page: Page) => {
    await page.getByLabel('Spår 3: ViSam-spår').selectOption('rott');
    await page.getByLabel('Spår 3: planerat utskrivningsdatum (ÅÅÅÅ-MM-DD)').fill(discharge);
  }, 'spar3', 'Spår 3: utskrivning från slutenvård (ViSam)');
  await expect(hospital.locator('.facts')).toContainText('Rött spår');
  await expect(hospital.locator('.facts')).toContainText(`senast ${discharge}`);
  await expect(hospital.locator('.facts .deadline.forsenad')).toHaveText('Försenad');

  const nurse = await login(browser, 'sjukskoterska');
  await openFromInbox(nurse, patient);
  await step(nurse, 'Kvittera mottagen begäran', 'Begäran är kvitterad.');
  await step(nurse, 'Påbörja gemensam bedömning', 'Den gemensamma bedömningen har börjat.');
  await expect(nurse.locator('.facts')).toContainText('Läkaransvar i specialiserad vård');
  await checkPage(nurse, 'spar3-under-bedomning');
  await nurse.getByLabel('Skäl (om personen inte skrivs in)').fill('Personen kan ta sig till vårdcentralen.');
  await nurse.getByRole('button', { name: 'Föreslå beslut: ej inskriven' }).click();
  await expect(nurse.getByRole('status')).toContainText('Beslutsförslaget är registrerat: ej inskriven.');
  await confirmDecision(hospital, url, 'spar3');
  await expect(hospital.locator('.state')).toHaveText('Beslutad: ej inskriven');
  await step(hospital, 'Avsluta ärendet', 'Ärendet är avslutat.');
  await expect(hospital.locator('.state')).toHaveText('Avslutad');
  await checkPage(hospital, 'spar3-avslutad');
});

test('spår 3: sjudagarsplanen vid utskrivningen, sedan vårdcentralens plan och avslut', async ({ browser }) => {
  const patient = { personnummer: '19030303-9812', name: 'Stina Sten' };
  const hospital = await login(browser, 'sjukhuslakare');
  const url = await sendRequest(hospital, patient, async (page: Page) => {
    await page.getByLabel('Spår 3: ViSam-spår').selectOption('gult');
    await page.getByLabel('Spår 3: planerat utskrivningsdatum (ÅÅÅÅ-MM-DD)').fill(isoDay(0));
  }, 'spar3b', 'Spår 3: utskrivning från slutenvård (ViSam)');

  // The hospital's plan for the first seven days, due by the discharge day.
  await hospital.getByLabel('Planen tillgänglig för nästa vårdgivare från').fill(isoDay(0));
  await hospital.getByLabel('Läkemedel de första sju dagarna').fill('Furosemid 40 mg morgon.');
  await hospital.getByLabel('Kontroller och målvärden').fill('Vikt dagligen; ring vid ökning över 2 kg.');
  await hospital.getByRole('group', { name: /NPÖ/ }).getByLabel('Ja').check();
  await step(hospital, 'Registrera sjudagarsplanen', 'Sjudagarsplanen är registrerad');
  await expect(hospital.locator('#sjudagarsplan')).toContainText('Kom i tid');
  await checkPage(hospital, 'spar3b-sjudagarsplan');

  const nurse = await login(browser, 'sjukskoterska');
  await openFromInbox(nurse, patient);
  await step(nurse, 'Kvittera mottagen begäran', 'Begäran är kvitterad.');
  await step(nurse, 'Påbörja gemensam bedömning', 'Den gemensamma bedömningen har börjat.');
  await assess(nurse, 'Kan ta över viktkontroll och läkemedel efter utskrivningen.');
  await homeCheck(nurse, true);
  await hospital.goto(url);
  await assess(hospital, 'Utskrivningsklar; sjudagarsplanen finns i NPÖ.');
  await decideEnrolled(hospital);
  await expect(hospital.locator('.state')).toHaveText('Beslut föreslaget: inskriven');
  await confirmDecision(nurse, url, 'spar3b');
  await expect(nurse.locator('.state')).toHaveText('Beslutad: inskriven');
  await expect(nurse.locator('#sjudagarsplan')).toContainText('Furosemid 40 mg morgon.');

  // The hospital hands the region's part to the person's vårdcentral, whose doctor writes and
  // signs the plan that replaces the seven-day plan; the hospital keeps reading the case.
  await hospital.goto(url);
  await hospital.getByLabel('Vårdcentral som tar över').selectOption({ label: 'Vårdcentralen Örebro centrum' });
  await checkPage(hospital, 'spar3b-overlamna');
  await step(hospital, 'Lämna över till vårdcentralen', 'Ärendet är överlämnat till vårdcentralen.');
  await expect(hospital.locator('#regionens-enhet')).toContainText('Vårdcentralen Örebro centrum, överlämnad från');
  await expect(hospital.getByRole('button', { name: 'Registrera gemensam planering' })).toHaveCount(0);
  const healthCentre = await login(browser, 'lakare');
  await planFollowUpAndClose(healthCentre, nurse, url, 'spar3b');
  await hospital.reload();
  await expect(hospital.locator('.state')).toHaveText('Avslutad');
  await expect(nurse.locator('#sjudagarsplan')).toContainText('Ersatt av vårdcentralens fastställda behandlingsplan');
});

test('rehabilitering: egenvårdsbegäran för ett barn går till kommunens rehabteam', async ({ browser }) => {
  const patient = { personnummer: '20170101-2393', name: 'Lilla Lund' };
  const nurse = await login(browser, 'sjukskoterska');
  const url = await sendRequest(nurse, patient, async (page: Page) => {
    await page.getByLabel('Rehabilitering: behovet initierades av').selectOption('egen');
  }, 'rehab');
  await expect(nurse.locator('.facts')).toContainText('Rehabteamet Örebro');

  const therapist = await login(browser, 'arbetsterapeut');
  await openFromInbox(therapist, patient);
  await step(therapist, 'Kvittera mottagen begäran', 'Begäran är kvitterad.');
  await step(therapist, 'Påbörja gemensam bedömning', 'Den gemensamma bedömningen har börjat.');
  await assess(therapist, 'Behöver hjälpmedel och träning i hemmet.');
  await homeCheck(therapist, true);
  await nurse.goto(url);
  await assess(nurse, 'Personen och vårdnadshavare vill ha stöd hemma.');
  await decideEnrolled(nurse);
  await expect(nurse.locator('.state')).toHaveText('Beslut föreslaget: inskriven');
  await confirmDecision(therapist, url, 'rehab');
  await expect(therapist.locator('.state')).toHaveText('Beslutad: inskriven');
  await checkPage(therapist, 'rehab-inskriven');

  // The rehab team plans with the person: a plan refused with its gaps named, then two versions.
  await planJointly(therapist, url, 'rehab');
  await expect(therapist.locator('#plan')).toHaveCount(0);
  await therapist.getByLabel('Personens mål').fill('Klara trappan hemma.');
  await therapist.getByRole('button', { name: 'Spara rehabiliteringsplanen' }).click();
  await expect(therapist.getByRole('alert')).toContainText('Välj vem som utför insatserna.');
  await expect(therapist.locator('#rehab_interventions-error')).toBeVisible();
  await checkPage(therapist, 'rehab-plan-fel');
  await therapist.getByLabel('Insatser', { exact: true }).fill('Träning i trappan; ramp vid entrén.');
  await therapist.getByRole('group', { name: 'Vem utför insatserna?' }).getByLabel('Personen själv, som egenvård').check();
  await therapist.getByLabel('Teammedlemmar som deltog').fill('Arbetsterapeut Aziz, fysioterapeut Falk');
  await therapist.getByRole('group', { name: 'Deltog personen i planeringen?' }).getByLabel('Ja').check();
  await therapist.getByLabel('Ordinatör som följer upp planen').fill('Arbetsterapeut Aziz');
  await therapist.getByLabel('Hur ofta följs planen upp?').selectOption('1-manad');
  await therapist.getByLabel('Första uppföljningen').fill(isoDay(0));
  await step(therapist, 'Spara rehabiliteringsplanen', 'Rehabiliteringsplanen är sparad som en ny version.');
  await expect(therapist.locator('#rehabplan')).toContainText('Version 1 (gäller)');
  await checkPage(therapist, 'rehab-plan');

  // The prescriber follows it up and revises it.
  await therapist.getByLabel('Datum för uppföljningen').fill(isoDay(0));
  await therapist.getByLabel('Vad följdes upp?').fill('Trappgång och egenträning.');
  await therapist.getByRole('group', { name: 'Vad beslutade ordinatören?' }).getByLabel('Revidera planen').check();
  await step(therapist, 'Registrera uppföljningen', 'Uppföljningen är registrerad.');
  await therapist.getByLabel('Personens mål').fill('Gå till brevlådan själv.');
  await therapist.getByLabel('Första uppföljningen').fill(isoDay(14));
  await step(therapist, 'Spara rehabiliteringsplanen', 'Rehabiliteringsplanen är sparad som en ny version.');
  await expect(therapist.locator('#rehabplan')).toContainText('Version 2 (gäller)');
  await expect(therapist.locator('#rehabplan details')).toContainText('Version 1');
  await expect(therapist.getByRole('table', { name: 'Uppföljningar av rehabiliteringsplanen' })).toContainText('Revidera planen');
  await checkPage(therapist, 'rehab-plan-version-2');
  await therapist.getByRole('link', { name: 'Jämför version 1 och 2' }).click();
  await expect(therapist.locator('tr.changed').first()).toContainText('Gå till brevlådan själv.');
  await expect(therapist.getByRole('main')).toContainText('2 av 7 delar är ändrade.');
  await checkPage(therapist, 'rehab-plan-jamfor');
  await therapist.getByRole('link', { name: 'Tillbaka till planen' }).click();
  await step(therapist, 'Starta insatserna', 'Insatserna har startat.');

  // The referrer reads the plan but the rehab professional ends the rehabilitation.
  await nurse.goto(url);
  await expect(nurse.locator('#rehabplan')).toContainText('Gå till brevlådan själv.');
  await expect(nurse.getByRole('button', { name: 'Spara rehabiliteringsplanen' })).toHaveCount(0);
  await expect(nurse.getByRole('button', { name: 'Avsluta rehabiliteringen' })).toHaveCount(0);
  await checkPage(nurse, 'rehab-remittent');
  await therapist.goto(url);
  await expect(therapist.locator('#avslut')).toContainText('Ärendet avslutas när du skickar formuläret');
  await therapist.getByLabel('Skäl till avslut').fill('Målen är nådda; personen tränar själv.');
  await therapist.getByLabel('Vart personen vänder sig nästa gång').fill('Rehabteamet Örebro, 019-21 00 00');
  await step(therapist, 'Avsluta rehabiliteringen', 'Rehabiliteringen är avslutad.');
  await expect(therapist.locator('.state')).toHaveText('Avslutad');
  await checkPage(therapist, 'rehab-avslutad');
  await nurse.reload();
  await expect(nurse.locator('#avslut')).toContainText('Målen är nådda; personen tränar själv.');
});

test('rehabilitering: rehabteamet registrerar en egenvårdsbegäran och beslutar själv', async ({ browser }) => {
  const patient = { personnummer: '19420317-9801', name: 'Märta Malm' };
  const therapist = await login(browser, 'arbetsterapeut');
  await therapist.getByRole('navigation').getByRole('link', { name: /^Begäranden/ }).click();
  await therapist.getByRole('link', { name: 'Registrera egenvårdsbegäran' }).click();
  await expect(therapist.getByRole('heading', { level: 1 })).toHaveText('Registrera egenvårdsbegäran');
  await expect(therapist.locator('#home_municipality')).toHaveValue('1880');
  await expect(therapist.getByText('Samtycke', { exact: true })).toHaveCount(0);
  await checkPage(therapist, 'egenvard-formular');
  await therapist.getByRole('button', { name: 'Registrera egenvårdsbegäran' }).click();
  await expect(therapist.getByRole('alert')).toContainText('Egenvårdsbegäran är inte registrerad');
  await expect(therapist.locator('#situation-error')).toBeVisible();
  await checkPage(therapist, 'egenvard-fel');
  await therapist.locator('#personnummer').fill(patient.personnummer);
  await therapist.locator('#patient_name').fill(patient.name);
  await therapist.locator('#situation').fill('Ringde själv: har ramlat i badrummet och vågar inte duscha.');
  await therapist.locator('#recommendation').fill('Hjälpmedel i badrummet. Mål: duscha själv igen.');
  await step(therapist, 'Registrera egenvårdsbegäran', 'Egenvårdsbegäran är registrerad och mottagen av teamet.');
  const url = therapist.url().split('?')[0];
  await expect(therapist.locator('.state')).toHaveText('Under bedömning');
  await expect(therapist.locator('.facts')).toContainText('Personen själv (egenvårdsbegäran)');
  await checkPage(therapist, 'egenvard-registrerad');

  // The team is the only party: its assessment is enough, and it decides without a proposal.
  await expect(therapist.getByRole('button', { name: 'Föreslå beslut: inskriven' })).toHaveCount(0);
  await assess(therapist, 'Osäker förflyttning i badrummet; behöver duschpall och träning.');
  await homeCheck(therapist, true);
  await therapist.getByLabel('Vårdnivå (vid inskrivning)').selectOption('rehabilitering');
  await therapist.getByLabel('Startdatum (vid inskrivning)').fill(isoDay(1));
  await therapist.getByLabel('Insatser som övergår till kommunen (vid inskrivning)').fill('Hjälpmedel och förflyttningsträning.');
  await therapist.getByRole('group', { name: /Punktinsatser eller samordnad vård/ }).getByLabel('Samordnad vård: flera insatser').check();
  await step(therapist, 'Besluta: inskriven', 'Beslutet är fattat: inskriven.');
  await expect(therapist.locator('.state')).toHaveText('Beslutad: inskriven');
  await checkPage(therapist, 'egenvard-inskriven');

  // Planning with the person, no region participant needed; then the team ends it alone.
  await therapist.getByLabel('Datum för planeringen').fill(isoDay(0));
  await therapist.getByRole('group', { name: 'Var hölls planeringen?' }).getByLabel('Hemma hos personen').check();
  await therapist.getByLabel('Deltagare från kommunen').fill('Arbetsterapeut Aziz');
  await therapist.getByRole('group', { name: 'Deltog personen?' }).getByLabel('Ja').check();
  await step(therapist, 'Registrera gemensam planering', 'Den gemensamma planeringen är registrerad.');
  await step(therapist, 'Starta insatserna', 'Insatserna har startat.');
  await therapist.getByLabel('Skäl till avslut').fill('Duschar själv med duschpall.');
  await therapist.getByLabel('Vart personen vänder sig nästa gång').fill('Rehabteamet Örebro, 019-21 00 00');
  await step(therapist, 'Avsluta rehabiliteringen', 'Rehabiliteringen är avslutad.');
  await expect(therapist.locator('.state')).toHaveText('Avslutad');
  await expect(therapist.getByRole('table', { name: /händelser/i })).toContainText('Egenvårdsbegäran registrerad av teamet');
  await checkPage(therapist, 'egenvard-avslutad');

  // No region unit has a part in it.
  const doctor = await login(browser, 'lakare');
  const response = await doctor.goto(url);
  expect(response?.status()).toBe(404);
});

test('vidarebefordran: den första mottagaren läser historiken och meddelandena men ändrar inget', async ({ browser }) => {
  const patient = { personnummer: '19360907-9805', name: 'Berta Berg' };
  const doctor = await login(browser, 'lakare');
  await sendRequest(doctor, patient, async () => {}, 'vidare');
  const nurse = await login(browser, 'sjukskoterska');
  await openFromInbox(nurse, patient);
  const url = nurse.url().split('?')[0];
  await step(nurse, 'Kvittera mottagen begäran', 'Begäran är kvitterad.');
  await nurse.getByLabel('Nytt meddelande').fill('Personen behöver främst träning; vi lämnar till rehabteamet.');
  await step(nurse, 'Skicka meddelande', 'Meddelandet är skickat.');
  await nurse.getByLabel('Vidarebefordra till').selectOption({ label: 'Rehabteamet Örebro' });
  await step(nurse, 'Vidarebefordra', 'Ärendet är vidarebefordrat.');

  await nurse.goto(url);
  await expect(nurse.locator('#tidigare-enhet')).toContainText('Er enhet har lämnat över ärendet.');
  await expect(nurse.getByRole('table', { name: /händelser/i })).toContainText('Kvittera mottagen begäran');
  await expect(nurse.getByRole('table', { name: /händelser/i })).toContainText('Vidarebefordra');
  await expect(nurse.locator('.message')).toContainText('vi lämnar till rehabteamet');
  await expect(nurse.getByRole('button', { name: 'Skicka meddelande' })).toHaveCount(0);
  await expect(nurse.getByRole('button', { name: 'Påbörja gemensam bedömning' })).toHaveCount(0);
  await checkPage(nurse, 'vidare-tidigare-mottagare');

  const therapist = await login(browser, 'arbetsterapeut');
  await therapist.goto(url);
  await expect(therapist.locator('.state')).toHaveText('Vidarebefordrad');
  await step(therapist, 'Kvittera mottagen begäran', 'Begäran är kvitterad.');
});
