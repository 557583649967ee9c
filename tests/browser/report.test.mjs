// report.test.mjs — the yearly execution report and the spreadsheet import of issue 6, as the
// coordinator uses them: from the contract's home to the report's preview, another year, the
// texts' form (Markdown, a <script> that must stay inert), the PDF download; then the import
// screens: a sheet of her own with a title line, the columns guessed, the preview of the rows
// with a problem, the import refused as a whole, and the exported workbook imported back with
// nothing changed. Every page visited is checked with axe-core and for CSP violations.
// Writes only the 2021 report's texts: the statuses of the demo stay as they are.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { BASE, accounts, journey, launch, login } from './lib.mjs';

const ACCOUNTS = accounts();
let browser;
before(async () => {
    browser = await launch();
});
after(async () => {
    await browser?.close();
});

test('the coordinator previews the yearly report, writes its texts and downloads the PDF',
    async (t) => {
        await journey(t, browser, 'yearly report', async (page, j) => {
            await login(page, ACCOUNTS.coordinator);
            await page.goto(BASE + '/contracts/1');
            await Promise.all([page.waitForNavigation(),
                page.getByRole('link', { name: /^Bilan d'exécution \d{4} \(PDF, ODT\)$/ })
                    .click()]);
            assert.match(page.url(), /\/contracts\/1\/report\?year=\d{4}$/);
            for (const h of ['1. Identification de la convention', '8. Bilan 2023 par action',
                '10. Conclusion'])
                await assert.doesNotReject(page.getByRole('heading', { name: h }).waitFor());
            assert.match(await page.locator('main').innerText(), /200 050 946 000 17/);
            await j.check('report 2023');

            await page.getByLabel('Année du bilan').selectOption('2021');
            await Promise.all([page.waitForNavigation(),
                page.getByRole('button', { name: 'Afficher' }).click()]);
            await assert.doesNotReject(page.getByRole('heading', { name: '8. Bilan 2021 par action' })
                .waitFor());
            assert.match(await page.locator('main').innerText(), /201901201/);

            await Promise.all([page.waitForNavigation(),
                page.getByRole('link', { name: 'Rédiger les textes du bilan 2021' }).click()]);
            await j.check('report texts form');
            await page.getByLabel('Missions réalisées').fill(
                '- Animation des **COTECH**\n- Suivi <script>window.pwned = 1</script>');
            await page.getByLabel('Conclusion').fill('Une année *de reprise*.');
            await Promise.all([page.waitForNavigation(),
                page.getByRole('button', { name: 'Enregistrer les textes du bilan' }).click()]);
            await assert.doesNotReject(page.getByText('Textes du bilan enregistrés.').waitFor());
            const missions = page.locator('h2:has-text("4. Missions") + ul');
            assert.match(await missions.innerText(), /Animation des COTECH/);
            assert.equal(await missions.locator('strong').innerText(), 'COTECH');
            assert.match(await missions.innerText(), /<script>window\.pwned = 1<\/script>/);
            assert.equal(await page.evaluate(() => window.pwned), undefined);
            await j.check('report 2021 with texts');

            const [download] = await Promise.all([page.waitForEvent('download'),
                page.getByRole('link', { name: 'Télécharger le PDF' }).click()]);
            assert.equal(download.suggestedFilename(), 'bilan-2021.pdf');
            const head = await new Promise((resolve, reject) => {
                download.createReadStream().then((s) => {
                    const chunks = [];
                    s.on('data', (c) => chunks.push(c));
                    s.on('end', () => resolve(Buffer.concat(chunks).subarray(0, 5).toString()));
                    s.on('error', reject);
                }, reject);
            });
            assert.equal(head, '%PDF-');
        }, { acceptDownloads: true });
    });

test('the coordinator imports a sheet of her own: columns guessed, problems shown, nothing '
    + 'half imported; then the exported workbook comes back unchanged', async (t) => {
    await journey(t, browser, 'spreadsheet import', async (page, j) => {
        await login(page, ACCOUNTS.coordinator);
        await page.goto(BASE + '/contracts/1/report?year=2021');
        await Promise.all([page.waitForNavigation(),
            page.getByRole('link', { name: 'Importer un tableau de suivi' }).click()]);
        await j.check('import form');

        // Nothing chosen: the form says what to do.
        await Promise.all([page.waitForNavigation(),
            page.evaluate(() => document.querySelector('form.edit').submit())]);
        assert.match(await page.locator('.error-summary').innerText(), /Choisissez le fichier/);

        const sheet = ['Suivi 2021 de la coordination,,,',
            'N°,Intitulé,État d\'avancement,Commentaire',
            '1.1.1,Acquérir un bus itinérant,Réalisé,Action expérimentale pour 3 ans',
            ',Une action qui n\'existe pas,En cours,', ''].join('\r\n');
        await page.getByLabel(/^Fichier/).setInputFiles({
            name: 'suivi-coordination.csv', mimeType: 'text/csv', buffer: Buffer.from(sheet),
        });
        await page.getByLabel('Année des états d\'avancement').selectOption('2021');
        await Promise.all([page.waitForNavigation(),
            page.getByRole('button', { name: 'Envoyer et choisir les colonnes' }).click()]);
        assert.match(page.url(), /\/contracts\/1\/import\/\d+\?year=2021$/);
        assert.equal(await page.getByLabel('Action', { exact: true }).inputValue(), 'B');
        assert.equal(await page.getByLabel('N° de fiche ou « Piste »').inputValue(), 'A');
        assert.equal(await page.getByLabel('Ligne des en-têtes').inputValue(), '2');
        const preview = page.locator('table.grid').last();
        assert.match(await preview.innerText(), /aucun objectif pour la créer/);
        await j.check('mapping screen');

        await Promise.all([page.waitForNavigation(),
            page.getByRole('button', { name: /^Importer les 2 lignes/ }).click()]);
        const refusal = await page.locator('.error-summary').innerText();
        assert.match(refusal, /Rien n'a été importé/);
        assert.match(refusal, /line 4/);
        await j.check('import refused');

        // The workbook Boussole exports, imported back: nothing changes.
        const xlsx = await page.request.get(BASE + '/contracts/1/tracking.xlsx');
        assert.equal(xlsx.status(), 200);
        await page.goto(BASE + '/contracts/1/import?year=2021');
        await page.getByLabel(/^Fichier/).setInputFiles({
            name: 'tableau-de-suivi.xlsx',
            mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
            buffer: await xlsx.body(),
        });
        await Promise.all([page.waitForNavigation(),
            page.getByRole('button', { name: 'Envoyer et choisir les colonnes' }).click()]);
        assert.equal(await page.getByLabel('Feuille', { exact: true }).inputValue(), '2'); // "2021"
        await j.check('mapping of the exported workbook');
        // The 2021 sheet holds the 71 actions that existed in 2021, not the 76 of 2023.
        await Promise.all([page.waitForNavigation(),
            page.getByRole('button', { name: /^Importer les 71 lignes \(états de 2021\)/ })
                .click()]);
        const result = await page.locator('main').innerText();
        assert.match(result, /71 lignes lues/);
        assert.match(result, /Lignes inchangées\s+71/);
        assert.match(result, /États enregistrés\s+0/);
        await j.check('import result');
    });
});
