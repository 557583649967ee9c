// governance.test.mjs — the governance journeys of issue 7 on the demo contract. A visitor reads
// the steering committee's 2019–2023 story on the governance page. The coordinator plans next
// year's steering committee, creates the meeting from the plan, invites the committee's members,
// records attendance, writes minutes (with a <script> that must stay inert) and a decision
// linked to an action, and sees the decision on the action's page; then prints the attendance
// sheet. Every page visited is checked with axe-core and for CSP violations (lib.mjs).
// Writes to the temporary demo database run.sh started, in the future (next year) only.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { BASE, accounts, journey, launch, login } from './lib.mjs';

const ACCOUNTS = accounts();
const NEXT = new Date().getFullYear() + 1;
let browser;
before(async () => {
    browser = await launch();
});
after(async () => {
    await browser?.close();
});

// The visible text of each cell of a body's row in the year-by-year table, by year.
async function storyRow(page, name) {
    const table = page.locator('table.gov-story');
    const years = (await table.locator('thead th a').allInnerTexts()).map(Number);
    const row = table.locator('tbody tr', { has: page.locator('th', { hasText: name }) });
    const cells = await row.locator('td.gov-cell').allInnerTexts();
    return Object.fromEntries(years.map((y, i) => [y, cells[i].replace(/\s+/g, ' ')]));
}

test('a visitor reads the steering committee\'s 2019–2023 story at a glance', async (t) => {
    await journey(t, browser, 'governance story', async (page, j) => {
        await page.goto(BASE + '/');
        await page.getByRole('link', { name: 'Instances, plan annuel et réunions' }).click();
        await page.waitForURL(/\/governance$/);
        assert.match(await page.locator('.gov-summary').innerText(),
            /1 des 10 réunions requises/);
        const row = await storyRow(page, 'Comité de pilotage du CLS');
        assert.deepEqual(Object.keys(row).map(Number), [2019, 2020, 2021, 2022, 2023]);
        assert.match(row[2019], /1 tenue sur 1 requise.*minimum atteint/);
        for (const y of [2020, 2021, 2022, 2023])
            assert.match(row[y], /0 tenue sur 1 requise.*minimum non atteint/, `${y}: ${row[y]}`);
        assert.match(row[2022], /1 prévue au plan/);
        await j.check('governance page');
        await page.locator('table.gov-story').getByRole('link', { name: '2022' }).click();
        await page.waitForURL(/year=2022/);
        assert.match(await page.locator('main').innerText(), /en retard/);
        await j.check('governance 2022');
        await page.getByRole('link', { name: 'Comité de pilotage du CLS' }).first().click();
        await page.waitForURL(/\/bodies\/\d+$/);
        await j.check('steering committee');
        await page.getByRole('link', { name: 'COTECH général (= COPIL restreint)' }).click();
        await page.waitForURL(/\/meetings\/\d+$/);
        assert.match(await page.locator('main').innerText(), /Tenue/);
        await j.check('a meeting of 2019');
    });
});

test('the coordinator plans next year\'s steering committee, records attendance, minutes and '
    + 'a decision seen on the action\'s page', async (t) => {
    await journey(t, browser, 'plan and record a meeting', async (page, j) => {
        await login(page, ACCOUNTS.coordinator);
        await page.goto(BASE + '/contracts/1/governance');
        await assert.doesNotReject(page.getByRole('link', { name: /^Plan annuel \d{4}$/ }).first()
            .waitFor());
        await page.goto(BASE + `/contracts/1/plan?year=${NEXT}`);
        await j.check('yearly plan');

        // Plan it: March of next year.
        const section = page.locator('section.plan-body', {
            has: page.getByRole('heading', { name: 'Comité de pilotage du CLS' }),
        });
        await section.getByLabel(/Date ou mois prévu/).fill(`03/${NEXT}`);
        await section.getByLabel('Remarque').fill('Bilan annuel et feuille de route');
        await Promise.all([page.waitForNavigation(),
            section.getByRole('button', { name: /Inscrire au plan/ }).click()]);
        await assert.doesNotReject(page.getByText('Le plan annuel est enregistré.').waitFor());
        const planned = page.locator('section.plan-body', {
            has: page.getByRole('heading', { name: 'Comité de pilotage du CLS' }),
        });
        assert.match(await planned.innerText(), new RegExp(`mars ${NEXT}`));

        // The meeting, created from the plan.
        await Promise.all([page.waitForNavigation(),
            planned.getByRole('link', { name: 'créer la réunion' }).first().click()]);
        assert.equal(await page.getByLabel('Instance').locator('option:checked').innerText(),
            'Comité de pilotage du CLS');
        await page.locator('#f-title').fill(`Comité de pilotage ${NEXT}`);
        await page.locator('#f-date').fill(`17/03/${NEXT}`);
        await page.getByLabel('Heure de début').fill('14:00');
        await page.getByLabel('Heure de fin').fill('16:30');
        await page.getByLabel('Lieu').fill('PETR Cœur de Lorraine, Saint-Mihiel');
        await page.getByLabel('Ordre du jour').fill('- Bilan de l\'année\n- Plan des actions');
        await j.check('new meeting form');
        await Promise.all([page.waitForNavigation(),
            page.getByRole('button', { name: 'Créer la réunion' }).click()]);
        assert.match(page.url(), /\/meetings\/\d+/);
        const meetingUrl = page.url().replace(/[?#].*$/, '');
        assert.equal(await page.locator('h1').innerText(), `Comité de pilotage ${NEXT}`);

        // Invitees: the committee's members.
        await Promise.all([page.waitForNavigation(),
            page.getByRole('button', { name: 'Inviter les membres de l\'instance' }).click()]);
        assert.match(await page.locator('#invites + p').innerText(), /7 invités/);
        await j.check('meeting with invitees');

        // Attendance.
        await Promise.all([page.waitForNavigation(),
            page.getByRole('link', { name: 'Saisir les présences' }).click()]);
        await j.check('attendance form');
        const selects = page.locator('table.attendance select');
        const n = await selects.count();
        assert.equal(n, 7);
        for (let i = 0; i < n; i++)
            await selects.nth(i).selectOption(i === 1 ? 'excused' : i === 2 ? 'represented'
                : 'present');
        await page.locator('table.attendance input[type="text"]').nth(2).fill('Son adjoint');
        await page.getByLabel(/La réunion a eu lieu/).check();
        await Promise.all([page.waitForNavigation(),
            page.getByRole('button', { name: 'Enregistrer les présences' }).click()]);
        assert.match(await page.locator('#invites + p').innerText(),
            /5 présents, 1 représenté, 1 excusé/);
        assert.match(await page.locator('main').innerText(), /Représenté par Son adjoint/i);

        // Minutes with a script in them: shown as nothing, never run.
        await Promise.all([page.waitForNavigation(),
            page.getByRole('link', { name: 'Rédiger le compte rendu' }).click()]);
        await j.check('minutes form');
        await page.getByLabel('Compte rendu').fill('## Relevé de décisions\n\n'
            + '<script>document.title = "piraté"; window.pwned = 1;</script>\n\n'
            + '**Plan adopté** à l\'unanimité. [voir](javascript:window.pwned=2)');
        await Promise.all([page.waitForNavigation(),
            page.getByRole('button', { name: 'Enregistrer le compte rendu' }).click()]);
        const minutes = page.locator('.minutes');
        assert.equal(await minutes.locator('strong').innerText(), 'Plan adopté');
        assert.equal(await minutes.locator('script').count(), 0);
        assert.equal(await page.evaluate(() => window.pwned), undefined);
        assert.doesNotMatch(await page.title(), /piraté/);
        assert.equal(await minutes.locator('a[href^="javascript"]').count(), 0);
        await j.check('meeting with minutes');

        // A decision linked to an action.
        const decision = `Relancer le transport à la demande (${Date.now()})`;
        await page.locator('#f-text').fill(decision);
        await page.getByLabel('Actions concernées').selectOption({ label:
            '1.1.3 Transport à la demande' });
        await Promise.all([page.waitForNavigation(),
            page.getByRole('button', { name: 'Ajouter la décision' }).click()]);
        const item = page.locator('ol.decisions li', { hasText: decision });
        await Promise.all([page.waitForNavigation(),
            item.getByRole('link', { name: /Transport à la demande/ }).click()]);
        assert.match(page.url(), /\/actions\/\d+/);
        const section2 = page.locator('#decisions + ol');
        assert.match(await section2.innerText(), new RegExp(decision.replace(/[()]/g, '\\$&')));
        assert.match(await section2.innerText(), new RegExp(`Comité de pilotage ${NEXT}`));
        await j.check('action with its decision');

        // The printable attendance sheet.
        await page.goto(meetingUrl);
        await Promise.all([page.waitForNavigation(),
            page.getByRole('link', { name: /Feuille d'émargement/ }).click()]);
        const sheet = page.locator('table.sheet-table');
        assert.equal(await sheet.locator('thead th').last().innerText(), 'Signature');
        assert.ok(await sheet.locator('tbody tr').count() >= 7);
        await j.check('attendance sheet');

        // The plan of next year now counts it as held.
        await page.goto(BASE + `/contracts/1/governance?year=${NEXT}`);
        const row = await storyRow(page, 'Comité de pilotage du CLS');
        assert.match(row[NEXT], /1 tenue sur 1 requise/);
    });
});
