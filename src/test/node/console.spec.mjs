// The console end to end in headless Chromium: a real photo becomes a head shot shown in the page, then is measured.
// Usage: node src/test/node/console.spec.mjs <console url> [screenshot path]
// Exits 0 when every check passed; prints what failed otherwise.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const base = new URL(process.argv[2] ?? 'http://127.0.0.1:8080/');
const screenshot = process.argv[3] ?? join(repo, 'target', 'console', 'console.png');
const photo = join(repo, 'src', 'test', 'resources', 'photos', 'grace_hopper.jpg');
const SIZE = { width: 320, height: 400 };
const TIMEOUT = Number(process.env.CONSOLE_SPEC_TIMEOUT_MS ?? 90_000);

const step = (message) => console.log(`console.spec: ${message}`);

async function api(path) {
  const response = await fetch(new URL(path, base));
  return { status: response.status, body: response.status === 200 ? await response.json() : null };
}

// A fresh profile each run: Playwright makes one in a temporary folder and deletes it on close.
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-quic',
    '--no-first-run',
    '--disable-component-update',
    '--disable-sync',
  ],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
// Any script error or refused load (a CSP violation is reported on the console) fails the test.
const problems = [];
let expected = () => false;
try {
  page.setDefaultTimeout(TIMEOUT);
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console error: ${m.text()} (${m.location().url})`));
  // The output URLs the console was given by the API, to hold the image shown to one of them.
  const outputUrls = new Set();
  page.on('response', async (r) => {
    if (new URL(r.url()).pathname.startsWith('/v1/jobs') && r.ok()) {
      const body = await r.json().catch(() => null);
      for (const job of body?.data ?? [body]) for (const o of job?.outputs ?? []) outputUrls.add(o.url);
    }
  });

  const home = await page.goto(base.href);
  assert.equal(home.status(), 200, 'GET / answers the console');
  assert.match(home.headers()['content-security-policy'] ?? '', /default-src 'self'/, 'the console has a CSP');
  step(`opened ${base.href}`);

  await page.waitForSelector('#submit:enabled'); // the form is built from /v1/openapi.json
  await page.setInputFiles('#photo', photo);
  await page.waitForSelector('#preview:not([hidden])');
  await page.selectOption('#operation', 'head_shot');
  await page.selectOption('#provider', 'local');
  // The document's provider params: local's head_shot takes a size, never a prompt.
  assert.ok(await page.isHidden('[data-param="prompt"]'), 'local head_shot offers no prompt');
  await page.fill('#param-width', String(SIZE.width));
  await page.fill('#param-height', String(SIZE.height));
  step('chose grace_hopper.jpg, head_shot on local, 320×400');
  await page.click('#submit');

  await page.waitForSelector('#job[data-status="succeeded"]');
  const id = await page.getAttribute('#job', 'data-job-id');
  step(`job ${id} succeeded`);
  const img = page.locator('#outputs img.output').first();
  await page.waitForFunction(() => {
    const shown = document.querySelector('#outputs img.output');
    return shown?.complete && shown.naturalWidth > 0;
  });
  const shown = await img.evaluate((i) => ({ src: i.src, width: i.naturalWidth, height: i.naturalHeight }));
  const job = await api(`/v1/jobs/${id}`);
  assert.equal(job.status, 200);
  const output = job.body.outputs[0];
  assert.ok(outputUrls.has(shown.src), `the image shown (${shown.src}) is an output URL the API gave the console`);
  const path = (u) => new URL(u).origin + new URL(u).pathname;
  assert.equal(path(shown.src), path(output.url), "the image shown is the job's outputs[0]");
  assert.deepEqual({ width: shown.width, height: shown.height }, { width: output.width, height: output.height });
  assert.deepEqual({ width: output.width, height: output.height }, SIZE, 'the head shot has the size asked');
  step(`the output ${shown.width}×${shown.height} loaded from ${new URL(shown.src).origin}`);

  const listing = await api('/v1/jobs');
  if (listing.status === 404) {
    await page.waitForSelector('#history-note:not([hidden])');
    assert.match(await page.textContent('#history-note'), /does not list jobs/);
    step('GET /v1/jobs is not served here: the console says so');
    // The browser reports the listing's 404 on the console: the one error expected here.
    const listed = new URL('/v1/jobs?', base).href;
    expected = (p) => p.includes('404') && p.includes(`(${listed}`);
  } else {
    assert.equal(listing.status, 200, 'GET /v1/jobs');
    await page.waitForSelector(`#jobs tr[data-job-id="${id}"]`);
    step('the job is listed under past jobs');
  }

  assert.deepEqual(problems.filter((p) => !expected(p)), [], 'no script errors or refused loads');
  mkdirSync(dirname(screenshot), { recursive: true });
  await page.screenshot({ path: screenshot, fullPage: true });
  step(`screenshot ${screenshot}`);

  // The same photo measured: face_recon on local takes no params, and its result is shown.
  await page.selectOption('#operation', 'face_recon');
  await page.selectOption('#provider', 'local');
  assert.ok(await page.isHidden('#params'), 'local face_recon takes no params');
  await page.click('#submit');
  await page.waitForFunction((before) => {
    const job = document.querySelector('#job');
    return job.dataset.jobId !== before && job.dataset.status === 'succeeded' && !document.querySelector('#result-box').hidden;
  }, id);
  const result = JSON.parse(await page.textContent('#result'));
  const recon = await api(`/v1/jobs/${await page.getAttribute('#job', 'data-job-id')}`);
  assert.deepEqual(result, recon.body.result, "the result shown is the job's");
  assert.ok(result.face.box.width > 0, 'the result has the face found');
  const reconShot = screenshot.replace(/\.png$/, '-face-recon.png');
  await page.screenshot({ path: reconShot, fullPage: true });
  step(`face_recon result shown (face ${Math.round(result.face.box.width)} px wide); screenshot ${reconShot}`);
  assert.deepEqual(problems.filter((p) => !expected(p)), [], 'no script errors or refused loads');
} catch (e) {
  // What the page said, and how it looked, when a check failed.
  for (const p of problems) step(p);
  const failed = screenshot.replace(/\.png$/, '-failed.png');
  mkdirSync(dirname(failed), { recursive: true });
  await page.screenshot({ path: failed, fullPage: true }).catch(() => {});
  step(`failed; screenshot ${failed}`);
  throw e;
} finally {
  await browser.close();
}
