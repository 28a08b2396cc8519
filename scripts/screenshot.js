#!/usr/bin/env node
// Renders a report.html in Debian's chromium (headless, offline) to a PNG:
// the header, the fleet overview and the first pool drawn in detail. The
// README's picture is made with it:
//   build/tapscale run --inputs examples/servegen --out /tmp/sg
//   node scripts/screenshot.js /tmp/sg/report.html docs/report.png
'use strict';
const path = require('node:path');
const puppeteer = require('puppeteer-core');

(async () => {
  const [report, png] = process.argv.slice(2);
  if (!report || !png) {
    console.error('usage: node scripts/screenshot.js REPORT.html OUT.png');
    process.exit(2);
  }
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu'],
  });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900, deviceScaleFactor: 1 });
    await page.setOfflineMode(true);
    await page.goto('file://' + path.resolve(report), { waitUntil: 'load' });
    await page.waitForSelector('body[data-ready="1"]');
    // down to the end of the first pool's money table
    const bottom = await page.$eval('section.pool', (s) => s.getBoundingClientRect().bottom + window.scrollY);
    await page.screenshot({ path: png, clip: { x: 0, y: 0, width: 1280, height: Math.ceil(bottom + 12) } });
  } finally {
    await browser.close();
  }
})();
