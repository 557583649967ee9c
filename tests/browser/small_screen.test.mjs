// small_screen.test.mjs — the pages a phone shows at 390 × 844 (issue 10, point 18): the action
// list's statuses are on screen and legible without a sideways page scroll, the dashboard's
// charts fit the width, the Gantt keeps readable bars and scrolls inside its own box. Read-only.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { BASE, journey, launch } from './lib.mjs';

const PHONE = { viewport: { width: 390, height: 844 } };

let browser;
before(async () => {
    browser = await launch();
});
after(async () => {
    await browser?.close();
});

// The page itself never scrolls sideways (a table or chart may, inside its box).
async function noPageOverflow(page) {
    const width = await page.evaluate(() => document.scrollingElement.scrollWidth);
    assert.ok(width <= 390, `the page is ${width} px wide at 390`);
}

test('the action list shows every status on a phone', async (t) => {
    await journey(t, browser, 'small screen action list', async (page, j) => {
        await page.goto(BASE + '/contracts/1/actions?year=2023');
        await noPageOverflow(page);
        const cells = await page.evaluate(() => [...document.querySelectorAll(
            'table.actions tbody .status')].map((e) => {
            const r = e.getBoundingClientRect();
            return { left: r.left, right: r.right, width: r.width,
                size: parseFloat(getComputedStyle(e).fontSize), text: e.textContent };
        }));
        assert.ok(cells.length >= 70, `${cells.length} status cells`);
        for (const c of cells) {
            assert.ok(c.width > 0 && c.left >= 0 && c.right <= 390,
                `status « ${c.text} » at ${c.left}–${c.right} px, outside the 390 px screen`);
            assert.ok(c.size >= 12, `status « ${c.text} » in ${c.size} px type`);
        }
        await j.check();
    }, PHONE);
});

test('the dashboard charts fit a phone', async (t) => {
    await journey(t, browser, 'small screen dashboard', async (page, j) => {
        await page.goto(BASE + '/contracts/1/dashboard?year=2023');
        await noPageOverflow(page);
        const widths = await page.evaluate(() => [...document.querySelectorAll(
            'figure.chart-figure:not(.gantt-figure) svg')].map((e) => e.getBoundingClientRect()
            .width));
        assert.ok(widths.length >= 2, `${widths.length} charts`);
        for (const w of widths)
            assert.ok(w > 0 && w <= 390, `a chart ${w} px wide at 390`);
        await j.check();
    }, PHONE);
});

test('the Gantt keeps readable bars and scrolls in its box on a phone', async (t) => {
    await journey(t, browser, 'small screen gantt', async (page, j) => {
        await page.goto(BASE + '/contracts/1/gantt');
        await noPageOverflow(page);
        const g = await page.evaluate(() => {
            const fig = document.querySelector('figure.gantt-figure');
            const bars = [...fig.querySelectorAll('rect.actual, rect.planned')]
                .map((e) => e.getBoundingClientRect().height);
            return { bars, box: fig.getBoundingClientRect().width,
                overflow: getComputedStyle(fig).overflowX };
        });
        assert.ok(g.bars.length > 0, 'no bar');
        assert.ok(Math.min(...g.bars) >= 7, `a bar ${Math.min(...g.bars)} px high`);
        assert.ok(g.box <= 390 && g.overflow === 'auto', `box ${g.box} px, overflow ${g.overflow}`);
        await j.check();
    }, PHONE);
});
