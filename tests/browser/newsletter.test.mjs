// newsletter.test.mjs — issue 13's communication screens in Chromium: the coordinator sees the
// communication plan with its yearly targets, subscribes an address (with its consent), prepares
// an issue from the proposed draft, edits it and sees the preview, sends it (the mail waits in
// the outbox of the demo database: no mail server in this tier), then anyone reads it in the
// public archive. Every page is checked with axe-core and for CSP violations (lib.mjs).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { BASE, accounts, journey, launch, login } from './lib.mjs';

const ACCOUNTS = accounts();
const EMAIL = 'lectrice.lettre@cls-demo.invalid';
const TITLE = `Lettre du navigateur ${Date.now()}`;
let browser;
before(async () => {
    browser = await launch();
});
after(async () => {
    await browser?.close();
});

test('the coordinator composes, previews and sends a newsletter; the archive shows it',
    async (t) => {
        await journey(t, browser, 'newsletter composed', async (page, j) => {
            await login(page, ACCOUNTS.coordinator);
            await page.goto(BASE + '/contracts/1/communication');
            assert.match(await page.locator('main').innerText(), /Au moins une newsletter par an/);
            await j.check('communication plan');
            await Promise.all([page.waitForNavigation(), page.getByRole('link',
                { name: /objectif annuel de la ligne 5/ }).click()]);
            assert.equal(await page.getByLabel('Objectif annuel (nombre par an)').inputValue(), '1');
            await j.check('annual target');

            await page.goto(BASE + '/contracts/1/newsletters');
            await j.check('newsletters');
            await page.getByLabel('Adresse électronique').fill(EMAIL);
            await page.locator('#f-consent').check();
            await Promise.all([page.waitForNavigation(),
                page.getByRole('button', { name: 'Abonner cette adresse' }).click()]);
            assert.match(await page.locator('main').innerText(), new RegExp(EMAIL));

            await page.getByLabel('Titre du numéro').fill(TITLE);
            await Promise.all([page.waitForNavigation(),
                page.getByRole('button', { name: 'Préparer le brouillon' }).click()]);
            assert.match(page.url(), /\/contracts\/1\/newsletters\/\d+/);
            const draft = await page.locator('textarea[name="body"]').inputValue();
            assert.match(draft, /## Le contrat en chiffres/);
            await j.check('composer');

            await page.locator('textarea[name="body"]').fill(
                '## Ce trimestre\n\nLe **COTECH** a validé trois fiches.\n\n' + draft);
            await Promise.all([page.waitForNavigation(),
                page.getByRole('button', { name: 'Enregistrer et prévisualiser' }).click()]);
            const preview = page.locator('article.newsletter');
            await assert.doesNotReject(preview.getByRole('heading', { name: 'Ce trimestre' })
                .waitFor());
            assert.equal(await preview.locator('strong', { hasText: 'COTECH' }).count(), 1);
            await j.check('preview');

            await Promise.all([page.waitForNavigation(),
                page.getByRole('button', { name: /Envoyer le numéro/ }).click()]);
            assert.match(await page.locator('main').innerText(), /Envoyé le/);
        });

        await journey(t, browser, 'newsletter archive', async (page, j) => {
            await page.goto(BASE + '/contracts/1/newsletters/archive');
            const link = page.getByRole('link', { name: new RegExp(TITLE) });
            assert.equal(await link.count(), 1);
            await j.check('archive');
            await Promise.all([page.waitForNavigation(), link.click()]);
            assert.match(page.url(), /\/newsletters\/archive\/\d+$/);
            assert.equal(await page.locator('article.newsletter strong', { hasText: 'COTECH' })
                .count(), 1);
            await j.check('archived issue');
        });
    });
