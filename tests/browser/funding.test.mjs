// funding.test.mjs — issue 13's funding screens in Chromium. The coordinator opens the
// coordinator post's financing plan (annex 2 of the demo), tries to close 2020, which does not
// balance, and reads by how much; adds a funding line to an action through its form and finds
// it on the action page and summed on the contract's funding page, where a funding call matched
// to the action (written in the demo database by the test) shows with its deadline; the action
// page lists that call. Every page visited is checked with axe-core and for CSP violations.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
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

// Runs one statement (or reads one value) on the demo database run.sh started.
function sql(query, ...args) {
    const db = process.env.BOUSSOLE_DB;
    assert.ok(db, 'BOUSSOLE_DB is not set (tests/browser/run.sh sets it)');
    const out = execFileSync('/usr/bin/python3', ['-c',
        'import sqlite3, sys, json\n'
        + 'c = sqlite3.connect(sys.argv[1], timeout=30)\n'
        + 'with c:\n'
        + '    r = c.execute(sys.argv[2], json.loads(sys.argv[3])).fetchone()\n'
        + 'print(json.dumps(r[0] if r else None))',
        db, query, JSON.stringify(args)]);
    return JSON.parse(out.toString());
}

test('the coordinator follows the financing plan, an action\'s funding and a call', async (t) => {
    const action = sql("SELECT id FROM action WHERE contract_id = 1 AND archived = 0 "
        + "AND (title LIKE '%tabac%' OR title LIKE '%addict%') ORDER BY id LIMIT 1");
    assert.ok(action, 'no tobacco action in the demo');
    const deadline = `${new Date().getFullYear() + 1}-02-15`;
    sql("INSERT INTO funding_call (contract_id, source, external_id, name, url, financers, "
        + "categories, audiences, perimeter, perimeter_scale, deadline, imported_at) VALUES "
        + "(1, 'test', 'browser-1', 'Prévention du tabagisme (journée navigateur)', "
        + "'https://aides-territoires.beta.gouv.fr/aides/exemple/', 'ARS Grand Est', "
        + "'Santé | Addictions', 'Associations', 'Meuse', 'Département', ?, '2024-01-01')",
    deadline);
    const call = sql("SELECT id FROM funding_call WHERE external_id = 'browser-1'");
    sql("INSERT INTO funding_call_match (call_id, action_id, reason) VALUES (?, ?, "
        + "'Thème commun : addictions ; public : non précisé ; périmètre : départemental.')",
    call, action);

    await journey(t, browser, 'financing plan', async (page, j) => {
        await login(page, ACCOUNTS.coordinator);
        await page.goto(BASE + '/contracts/1/financing');
        await j.check('financing plan');
        const y2020 = page.locator('section[data-year="2020"]');
        assert.match(await y2020.innerText(), /Non équilibrée/);
        await Promise.all([page.waitForNavigation(),
            y2020.getByRole('button', { name: 'Arrêter l\'année 2020' }).click()]);
        assert.match(await page.locator('#refus').innerText(), /0,01/);
        await j.check('financing plan refused');
        assert.match(await page.locator('#recap').innerText(), /190\s578/);
    });

    await journey(t, browser, 'action funding', async (page, j) => {
        await login(page, ACCOUNTS.coordinator);
        await page.goto(BASE + `/actions/${action}`);
        assert.match(await page.locator('.calls').innerText(), /journée navigateur/);
        await page.getByRole('link', { name: 'Ajouter une ligne de financement' }).click();
        await page.waitForURL(/\/funding\/new$/);
        await j.check('funding form');
        await page.getByLabel('Financeur (nom officiel de l\'attribuant)')
            .fill('Conférence des financeurs de la Meuse');
        await page.getByLabel('Année').fill('2023');
        await page.getByLabel('Montant demandé (€)').fill('2 500');
        await page.getByLabel('Montant accordé (€)').fill('2 000');
        await Promise.all([page.waitForNavigation(),
            page.getByRole('button', { name: 'Ajouter la ligne' }).click()]);
        const lines = page.locator('#lignes-financement');
        assert.match(await lines.innerText(), /Conférence des financeurs de la Meuse/);
        await j.check('action page with funding');
        await page.goto(BASE + '/contracts/1/funding');
        const row = page.locator('#par-financeur tr[data-funder="Conférence des financeurs de '
            + 'la Meuse"][data-year="2023"]');
        assert.match(await row.innerText(), /2\s000/);
        assert.match(await page.locator('#appels').innerText(), /journée navigateur/);
        await j.check('contract funding');
    });
});
