// survey.test.mjs — issue 12's evaluation questionnaire in Chromium. The coordinator adds a
// contact with an e-mail to a carrier organisation, creates a questionnaire from the CLS template
// and opens it; the contact opens the personal link without any account, answers part of the
// questionnaire of one action, saves a draft, comes back to it (the answers are still there),
// is told next to the field what is missing, completes it with the keyboard and sends it; the
// coordinator's results page counts the answer. The link is read from the outbox of the demo
// database. Every page visited is checked with axe-core and for CSP violations (lib.mjs).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';

import { BASE, accounts, journey, launch, login } from './lib.mjs';

const ACCOUNTS = accounts();
const EMAIL = 'dominique.questionnaire@cls-demo.invalid';
let browser;
before(async () => {
    browser = await launch();
});
after(async () => {
    await browser?.close();
});

function sql(query, ...args) {
    const db = process.env.BOUSSOLE_DB;
    assert.ok(db, 'BOUSSOLE_DB is not set (tests/browser/run.sh sets it)');
    const out = execFileSync('/usr/bin/python3', ['-c',
        'import sqlite3, sys, json\n'
        + 'c = sqlite3.connect(sys.argv[1], timeout=30)\n'
        + 'r = c.execute(sys.argv[2], json.loads(sys.argv[3])).fetchone()\n'
        + 'print(json.dumps(r[0] if r else None))',
        db, query, JSON.stringify(args)]);
    return JSON.parse(out.toString());
}

test('a carrier contact answers the evaluation questionnaire through its personal link',
    async (t) => {
        const org = sql("SELECT ao.organisation_id FROM action_organisation ao JOIN action a "
            + "ON a.id = ao.action_id WHERE a.contract_id = 1 AND a.archived = 0 "
            + "AND ao.role = 'carrier' GROUP BY ao.organisation_id ORDER BY count(*) DESC "
            + "LIMIT 1");
        assert.ok(org, 'no carrier organisation in the demo');
        let surveyUrl;
        await journey(t, browser, 'survey opened', async (page, j) => {
            await login(page, ACCOUNTS.coordinator);
            await page.goto(BASE + '/contracts/1/people/new');
            await page.getByLabel('Nom et prénom').fill('Dominique Questionnaire');
            await page.getByLabel('Adresse e-mail professionnelle').fill(EMAIL);
            await page.locator('select[name="organisation_id"]').selectOption(String(org));
            await Promise.all([page.waitForNavigation(),
                page.getByRole('button', { name: 'Enregistrer la personne' }).click()]);
            await page.goto(BASE + '/contracts/1/surveys');
            await j.check('surveys');
            await Promise.all([page.waitForNavigation(),
                page.getByRole('button', { name: 'Créer depuis le modèle' }).click()]);
            surveyUrl = page.url().split('?')[0];
            assert.match(surveyUrl, /\/contracts\/1\/surveys\/\d+$/);
            await j.check('survey draft');
            const year = new Date().getFullYear() + 1;
            await page.getByLabel('Date limite des réponses').fill(`${year}-03-31`);
            await Promise.all([page.waitForNavigation(),
                page.getByRole('button', { name: 'Ouvrir et envoyer les liens' }).click()]);
            assert.match(await page.locator('.notice').innerText(), /Questionnaire ouvert/);
            await j.check('survey open');
        });

        const body = sql("SELECT body FROM outbox WHERE to_addr = ? AND kind = 'survey' "
            + 'ORDER BY id DESC LIMIT 1', EMAIL);
        assert.ok(body, 'no message queued for the contact');
        const link = /https?:\/\/\S*\/survey\?token=[A-Za-z0-9_-]+/.exec(body);
        assert.ok(link, 'no personal link in the message');
        const path = new URL(link[0]).pathname + new URL(link[0]).search;

        await journey(t, browser, 'survey answered', async (page, j) => {
            await page.goto(BASE + path);
            await page.waitForURL(/\/survey\/answers$/);
            assert.equal(page.url().includes('token='), false, 'the token stays in the address');
            await j.check('survey actions');
            const first = page.locator('ul.survey-actions a').first();
            const title = (await first.innerText()).trim();
            await Promise.all([page.waitForNavigation(), first.click()]);
            await j.check('survey form');
            // Pre-filled with what Boussole knows.
            assert.match(await page.locator('section.known').innerText(), /Porteur/);
            await page.locator('#q2-o-2').check();
            await page.locator('#q32-field').fill('Brouillon commencé dans le navigateur.');
            await Promise.all([page.waitForNavigation(),
                page.getByRole('button', { name: 'Enregistrer le brouillon' }).click()]);
            assert.match(await page.locator('.notice').innerText(), /Brouillon enregistré/);
            // Resume: the saved answers are back.
            await Promise.all([page.waitForNavigation(),
                page.getByRole('link', { name: title }).click()]);
            assert.equal(await page.locator('#q2-o-2').isChecked(), true);
            assert.equal(await page.locator('#q32-field').inputValue(),
                'Brouillon commencé dans le navigateur.');
            // Sending without the required answers: the errors sit next to their fields.
            await Promise.all([page.waitForNavigation(),
                page.getByRole('button', { name: 'Envoyer mes réponses' }).click()]);
            assert.match(await page.locator('.error-summary').innerText(), /rien n'a été enregistré/);
            assert.match(await page.locator('#q31-error').innerText(), /obligatoire/);
            await j.check('survey form errors');
            for (const id of ['#q3-o-1', '#q25-o-1', '#q26-o-1', '#q29-o-2', '#q34-o-1'])
                if (await page.locator(id).count())
                    await page.locator(id).check();
            for (let r = 1; r <= 5; r++)
                await page.locator(`#q30-r${r}-1`).check();
            // The scale with the keyboard: focus a value and select it with the space bar.
            await page.locator('#q31-o4').focus();
            await page.keyboard.press('Space');
            assert.equal(await page.locator('#q31-o4').isChecked(), true);
            await page.locator('#q33-field').fill('Structure de démonstration');
            await Promise.all([page.waitForNavigation(),
                page.getByRole('button', { name: 'Envoyer mes réponses' }).click()]);
            assert.match(await page.locator('.notice').innerText(), /Réponse envoyée/);
            await j.check('survey sent');
        });

        await journey(t, browser, 'survey results', async (page, j) => {
            await login(page, ACCOUNTS.coordinator);
            await page.goto(surveyUrl + '/results');
            assert.match(await page.locator('#taux-global').innerText(), /: 1 sur \d+/);
            assert.match(await page.locator('#n-q31').innerText(), /^1 réponse/);
            await j.check('survey results');
        });
    });
