// campaign.test.mjs — issue 12's yearly update campaign in Chromium. The coordinator adds a
// contact with an e-mail to a carrier organisation, opens a campaign (for a year far ahead, so
// that no other journey's data is touched) and sees one link queued; the contact opens the
// personal link in a browser without any account, records the status of one of its actions and
// the coordinator's campaign page counts the answer. The link is read from the outbox of the
// demo database (no mail server in this tier: the message waits there with its link).
// Every page visited is checked with axe-core and for CSP violations (lib.mjs).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';

import { BASE, accounts, journey, launch, login } from './lib.mjs';

const ACCOUNTS = accounts();
const YEAR = new Date().getFullYear() + 3;
const EMAIL = 'camille.contact@cls-demo.invalid';
let browser;
before(async () => {
    browser = await launch();
});
after(async () => {
    await browser?.close();
});

// One value from the demo database run.sh started (Debian's Python reads SQLite).
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

test('a carrier contact answers the yearly campaign through its personal link', async (t) => {
    // An organisation that carries actions of the demo contract.
    const org = sql("SELECT ao.organisation_id FROM action_organisation ao JOIN action a "
        + "ON a.id = ao.action_id WHERE a.contract_id = 1 AND a.archived = 0 "
        + "AND ao.role = 'carrier' GROUP BY ao.organisation_id ORDER BY count(*) DESC LIMIT 1");
    assert.ok(org, 'no carrier organisation in the demo');
    let campaignUrl;
    await journey(t, browser, 'campaign opened', async (page, j) => {
        await login(page, ACCOUNTS.coordinator);
        await page.goto(BASE + '/contracts/1/people/new');
        await page.getByLabel('Nom et prénom').fill('Camille Contact');
        await page.getByLabel('Adresse e-mail professionnelle').fill(EMAIL);
        await page.locator('select[name="organisation_id"]').selectOption(String(org));
        await Promise.all([page.waitForNavigation(),
            page.getByRole('button', { name: 'Enregistrer la personne' }).click()]);
        await page.goto(BASE + '/contracts/1/campaigns');
        await j.check('campaigns');
        await page.getByLabel('Année à mettre à jour').fill(String(YEAR));
        await page.getByLabel('Date limite des réponses').fill(`${YEAR}-03-31`);
        await Promise.all([page.waitForNavigation(),
            page.getByRole('button', { name: 'Ouvrir la campagne et envoyer les liens' }).click()]);
        campaignUrl = page.url();
        assert.match(campaignUrl, /\/contracts\/1\/campaigns\/\d+/);
        await j.check('campaign page');
    });

    const body = sql('SELECT body FROM outbox WHERE to_addr = ? ORDER BY id DESC LIMIT 1', EMAIL);
    assert.ok(body, 'no message queued for the contact');
    const link = /https?:\/\/\S*\/campaign\?token=[A-Za-z0-9_-]+/.exec(body);
    assert.ok(link, 'no personal link in the message');
    const path = new URL(link[0]).pathname + new URL(link[0]).search;

    await journey(t, browser, 'campaign answered', async (page, j) => {
        await page.goto(BASE + path);
        await page.waitForURL(/\/campaign\/actions/);
        assert.equal(page.url().includes('token='), false, 'the token stays in the address');
        assert.match(await page.locator('main').innerText(), new RegExp(`${YEAR}`));
        await j.check('carrier form');
        const first = page.locator('section.campaign-action').first();
        await first.locator('select[name="status"]').selectOption('in_progress');
        await first.locator('textarea[name="remarks"]').fill('Réponse par le lien personnel.');
        await Promise.all([page.waitForNavigation(),
            first.getByRole('button', { name: 'Enregistrer' }).click()]);
        assert.match(await page.locator('.notice').innerText(), /Enregistré, merci/);
        await j.check('carrier form saved');
    });

    await journey(t, browser, 'campaign rate', async (page, j) => {
        await login(page, ACCOUNTS.coordinator);
        await page.goto(campaignUrl);
        const answered = sql('SELECT count(*) FROM action_status WHERE year = ? AND remarks = ?',
            YEAR, 'Réponse par le lien personnel.');
        assert.equal(answered, 1);
        assert.match(await page.locator('#taux-global').innerText(),
            /: 1 sur \d+ \(1 dans les temps, 0 en retard\)/);
        await j.check('campaign rate');
    });
});
