// A month of casework in a real browser: Debian's chromium driven by
// playwright-core, against `carewatch serve` on a free loopback port with a
// fresh demo database. axe-core checks every page visited (no serious or
// critical violation); a screenshot of each is saved.
//
//   node tests/browser/walk.mjs path/to/carewatch OUTDIR
import { chromium } from 'playwright-core';
import { spawn, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const PASSWORD = 'carewatch-demo';
const [bin, outdir] = process.argv.slice(2);
if (!bin || !outdir) {
  console.error('usage: walk.mjs CAREWATCH_BINARY OUTDIR');
  process.exit(2);
}
fs.mkdirSync(outdir, { recursive: true });

let failures = 0;
const t0 = Date.now();
function check(ok, what) {
  if (ok) {
    console.log(`ok - ${what} [${((Date.now() - t0) / 1000).toFixed(1)}s]`);
  } else {
    failures++;
    console.log(`not ok - ${what}`);
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

// A request exactly as written: no URL normalisation (for /static/../).
function rawGet(port, rawPath) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: rawPath, method: 'GET' }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end();
  });
}

async function waitForPort(port, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => { s.end(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`carewatch serve did not listen on ${port}`);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'carewatch-walk-'));
const env = { ...process.env, CAREWATCH_DB: path.join(dir, 'carewatch.db'), CAREWATCH_USER: 'demo-admin' };
delete env.CAREWATCH_TODAY;
delete env.CAREWATCH_CONFIG;
execFileSync(bin, ['init'], { env, stdio: 'ignore' });
execFileSync(bin, ['demo'], { env, stdio: 'ignore' });
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const server = spawn(bin, ['serve', '--listen', `127.0.0.1:${port}`, '--threads', '2'],
  { env, stdio: ['ignore', 'ignore', 'pipe'] });
let serverLog = '';
server.stderr.on('data', (d) => { serverLog += d; });
let browser;
let page;
let shot = 0;

async function visit(page, name) {
  shot++;
  const file = path.join(outdir, `${String(shot).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help }));
  });
  const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  check(bad.length === 0, `axe: ${name} (${page.url().replace(base, '')}) has no serious or critical violation`
    + (bad.length ? `: ${JSON.stringify(bad)}` : ''));
}

async function login(page, name) {
  await page.goto(`${base}/login`);
  await page.fill('#name', name);
  await page.fill('#password', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForURL(`${base}/`);
}

async function logout(page) {
  await page.click('button:has-text("Sign out")');
  await page.waitForURL(`${base}/login`);
}

function today() {
  const d = new Date();
  return { day: String(d.getUTCDate()), month: String(d.getUTCMonth() + 1), year: String(d.getUTCFullYear()) };
}

async function fillDate(page, name, d) {
  await page.fill(`#${name}-day`, d.day);
  await page.fill(`#${name}-month`, d.month);
  await page.fill(`#${name}-year`, d.year);
}

try {
  await waitForPort(port, 10000);
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  // bypassCSP only so that axe-core can be injected; the pages' own CSP is
  // checked by the in-process tests.
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1200, height: 900 } });
  page = await context.newPage();

  // --- security ---
  await page.goto(`${base}/`);
  check(page.url() === `${base}/login`, 'no session: the watch list sends you to sign in');
  await visit(page, 'login');
  check(await rawGet(port, '/static/../CMakeLists.txt') === 404, '/static/../ is refused');
  check(await rawGet(port, '/static/%2e%2e/CMakeLists.txt') === 404, '/static/%2e%2e/ is refused');

  // --- a contracting manager logs a red concern, opens and escalates a case ---
  await login(page, 'Morgan Hale');
  await visit(page, 'watchlist');
  const providers = await (await page.request.get(`${base}/providers`, { headers: { Accept: 'application/json' } })).json();
  const target = providers.find((p) => !p.case_id && p.status === 'active' && p.type === 'care_home_nursing')
    || providers.find((p) => !p.case_id && p.status === 'active');
  check(!!target, `a provider with no case: ${target && target.name}`);
  await page.goto(`${base}/providers/${target.id}`);
  await visit(page, 'provider');
  await page.click('text=Log a concern or feedback');
  await visit(page, 'concern-form');
  // a mistake first: the error names the field and keeps what was typed
  await page.selectOption('#source', 'monitoring_visit');
  await page.selectOption('#team', 'commissioning');
  await page.fill('#summary', 'MAR charts incomplete on two floors');
  await page.selectOption('#likelihood', '3');
  await page.click('button:has-text("Log the concern")');
  check((await page.content()).includes('govuk-error-summary'), 'a missing impact is shown in the error summary');
  check(await page.inputValue('#summary') === 'MAR charts incomplete on two floors', 'the summary typed is kept');
  await visit(page, 'concern-form-error');
  await page.selectOption('#impact', '4');
  await page.click('button:has-text("Log the concern")');
  await page.waitForURL(`${base}/providers/${target.id}`);
  check((await page.content()).includes('MAR charts incomplete'), 'the red concern is on the provider page');
  await page.fill('#reason', 'Red concern at a monitoring visit');
  await page.click('button:has-text("Open a case")');
  await page.waitForURL(/\/cases\//);
  const caseUrl = page.url();
  await visit(page, 'case-qa');
  await page.click('text=Escalate to provider performance');
  await visit(page, 'escalate-form');
  await page.selectOption('#trigger', 'single_or_repeated_concern');
  await page.selectOption('#chair', 'Morgan Hale');
  await page.click('button:has-text("Escalate to provider performance")');
  await page.waitForURL(caseUrl);
  check((await page.textContent('h1')).includes('provider_performance'), 'the case is escalated');

  // --- a meeting, with repeatable attendee rows ---
  await page.click('text=Record a meeting');
  await fillDate(page, 'date', today());
  await page.selectOption('#chair', 'Morgan Hale');
  await page.fill('#attendee_name-0', 'Morgan Hale');
  await page.fill('#attendee_org-0', 'Carewatch County Council');
  await page.fill('#attendee_role-0', 'Chair');
  await page.fill('#attendee_name-1', 'Ann Elm');
  await page.fill('#attendee_org-1', target.name);
  await page.fill('#attendee_role-1', 'Registered manager');
  await page.fill('#attendee_name-2', 'Priya Anand');
  await page.fill('#attendee_org-2', 'Carewatch County Council');
  await page.fill('#attendee_role-2', 'Safeguarding');
  await page.click('text=Add another attendee');
  check(await page.locator('#attendee_name-3').count() === 1, 'another attendee row, without JavaScript');
  check(await page.inputValue('#attendee_name-1') === 'Ann Elm', 'rows typed are kept');
  await page.fill('#attendee_name-3', 'Vale Health Board nurse');
  await page.fill('#attendee_org-3', 'Vale Health Board');
  await page.fill('#attendee_role-3', 'Nurse assessor');
  await page.selectOption('#trend', 'same');
  await page.selectOption('#overall', 'red');
  await page.check('#provider_attended');
  await visit(page, 'meeting-form');
  await page.click('button:has-text("Record the meeting")');
  await page.waitForURL(caseUrl);
  check((await page.content()).includes('chaired by Morgan Hale'), 'the meeting is recorded');

  // --- an action plan item ---
  await page.click('text=Add to the action plan');
  await page.selectOption('#kind', 'CA');
  await page.fill('#improvement', 'Audit MAR charts weekly and retrain night staff');
  await page.fill('#owner', 'Registered manager');
  const due = new Date(Date.now() + 28 * 86400000);
  await fillDate(page, 'due', { day: String(due.getUTCDate()), month: String(due.getUTCMonth() + 1), year: String(due.getUTCFullYear()) });
  await visit(page, 'action-form');
  await page.click('button:has-text("Add the item")');
  await page.waitForURL(caseUrl);
  check((await page.content()).includes('Audit MAR charts weekly'), 'the action plan has the item');
  await visit(page, 'case-ppm');
  await page.goto(`${base}/tasks`);
  await visit(page, 'tasks');
  await logout(page);

  // --- the director suspends; a placement check is refused ---
  await login(page, 'Dafydd Rees');
  await page.goto(caseUrl);
  await page.click('text=Suspend placements');
  await visit(page, 'suspend-form');
  await page.selectOption('#commissioner', { label: 'Carewatch County Council' });
  await page.selectOption('#kind', 'mandatory');
  await page.fill('#reason', 'Medication risk not yet controlled');
  await page.click('button:has-text("Suspend placements")');
  await page.waitForURL(caseUrl);
  check((await page.textContent('h1')).includes('embargo'), 'the director suspends: embargo');
  await page.goto(`${base}/providers/${target.id}`);
  await page.selectOption('#commissioner', { label: 'Carewatch County Council' });
  await page.click('button:has-text("Check")');
  check((await page.textContent('h1')).includes('refused'), 'a placement check is refused');
  await visit(page, 'placement-refused');
  await logout(page);

  // --- safeguarding logs a POVA-linked concern that a viewer cannot see ---
  await login(page, 'Priya Anand');
  await page.goto(`${base}/providers/${target.id}/concerns/new`);
  await page.selectOption('#source', 'pova_referral');
  await page.selectOption('#team', 'safeguarding');
  await page.fill('#summary', 'Unexplained bruising reported by family');
  await page.selectOption('#likelihood', '2');
  await page.selectOption('#impact', '3');
  await page.fill('#pova_ref', 'POVA-WALK-0001');
  await page.fill('#subject_ref', 'SU-WALK-77');
  await page.click('button:has-text("Log the concern")');
  await page.waitForURL(`${base}/providers/${target.id}`);
  check((await page.content()).includes('POVA-WALK-0001'), 'safeguarding sees the POVA reference');
  await logout(page);
  await login(page, 'Lee Carter');
  await page.goto(`${base}/providers/${target.id}`);
  const viewerHtml = await page.content();
  check(!viewerHtml.includes('POVA-WALK-0001') && !viewerHtml.includes('SU-WALK-77'),
    'a viewer does not see the POVA or service-user reference');
  check(viewerHtml.includes('[confidential]'), 'a viewer sees [confidential]');
  const viewerJson = await (await page.request.get(`${base}/providers/${target.id}`, { headers: { Accept: 'application/json' } })).text();
  check(!viewerJson.includes('POVA-WALK-0001'), 'nor in the JSON');
  await visit(page, 'provider-as-viewer');
  await logout(page);

  // --- the director restarts with a cap: first refused, then allowed ---
  await login(page, 'Dafydd Rees');
  await page.goto(caseUrl);
  await page.click('text=Restart placements');
  await page.selectOption('#commissioner', { label: 'Carewatch County Council' });
  await page.fill('#reason', 'Improvements evidenced at revisit');
  await page.fill('#max_admissions', '2');
  await page.selectOption('#per', 'week');
  await page.click('button:has-text("Restart placements")');
  const refusal = await page.content();
  check(refusal.includes('govuk-error-summary') && refusal.includes('unmet condition'),
    'a restart with work outstanding is refused, listing every unmet condition');
  check(await page.inputValue('#max_admissions') === '2', 'the cap typed is kept');
  await visit(page, 'restart-refused');
  // the work is done: the item completed, the concern re-rated
  await page.goto(caseUrl);
  await page.click('text=Update this item');
  await page.selectOption('#item0-status', 'completed');
  await page.fill('#item0-evidence', 'Four weekly audits clean');
  await page.click('button:has-text("Record progress")');
  await page.waitForURL(caseUrl);
  await page.goto(`${base}/providers/${target.id}`);
  await page.click('text=MAR charts incomplete on two floors');
  await visit(page, 'concern');
  await page.selectOption('#likelihood', '1');
  await page.fill('#note', 'Audits clean at revisit');
  await page.click('button:has-text("Re-rate")');
  await page.goto(caseUrl);
  await page.click('text=Restart placements');
  await page.selectOption('#commissioner', { label: 'Carewatch County Council' });
  await page.fill('#reason', 'Improvements evidenced at revisit');
  await page.fill('#max_admissions', '2');
  await page.selectOption('#per', 'week');
  await page.click('button:has-text("Restart placements")');
  await page.waitForURL(caseUrl);
  check((await page.textContent('h1')).includes('provider_performance'), 'the director restarts with a cap');
  await page.goto(`${base}/providers/${target.id}`);
  check((await page.content()).includes('restricted'), 'placements are restricted by the cap');
  await page.goto(`${caseUrl}/documents/restart-form?format=html`);
  check((await page.content()).length > 500, 'the restart form prints as a standalone page');
  await page.goto(caseUrl);
  await logout(page);

  // --- the QA meeting records itself ---
  await login(page, 'Sam Okafor');
  await page.goto(`${base}/qa`);
  await visit(page, 'qa');
  await fillDate(page, 'date', today());
  await page.fill('#present-0', 'Sam Okafor');
  await page.fill('#present-1', 'Morgan Hale');
  await page.click('button:has-text("Record the QA meeting")');
  await page.waitForURL(`${base}/qa`);
  const t = today();
  const iso = `${t.year}-${t.month.padStart(2, '0')}-${t.day.padStart(2, '0')}`;
  check((await page.content()).includes(`Previous meeting: ${iso}`), 'the QA meeting is recorded');
  await page.goto(`${base}/?band=red&sort=provider`);
  await visit(page, 'watchlist-filtered');

  // --- CSRF: a forged or missing token is refused, nothing written ---
  await page.goto(`${base}/account`);
  await page.evaluate(() => { document.querySelector('form[action="/account/password"] input[name=csrf]').value = 'forged'; });
  await page.fill('#password', 'a-new-password-1');
  const forged = page.waitForResponse((r) => r.url().endsWith('/account/password'));
  await page.click('button:has-text("Change the password")');
  check((await forged).status() === 403, 'a forged CSRF token is refused (403)');
  await page.goto(`${base}/account`);
  await page.evaluate(() => { document.querySelector('form[action="/account/password"] input[name=csrf]').remove(); });
  await page.fill('#password', 'a-new-password-1');
  const missing = page.waitForResponse((r) => r.url().endsWith('/account/password'));
  await page.click('button:has-text("Change the password")');
  check((await missing).status() === 403, 'a missing CSRF token is refused (403)');

  // --- the cookie from before logout is refused ---
  await page.goto(`${base}/`);
  const before = await context.cookies();
  await logout(page);
  await context.addCookies(before);
  await page.goto(`${base}/`);
  check(page.url() === `${base}/login`, 'a session cookie from before logout is refused');

  // --- 6 wrong passwords lock the name (last: it locks this address too) ---
  let last = 0;
  for (let i = 0; i < 6; i++) {
    const r = await page.request.post(`${base}/login`, {
      form: { name: 'demo-admin', password: `wrong-${i}` }, headers: { Accept: 'application/json' },
    });
    last = r.status();
  }
  check(last === 429, `6 wrong passwords lock the name (last answer ${last})`);
  const locked = await page.request.post(`${base}/login`, {
    form: { name: 'demo-admin', password: PASSWORD }, headers: { Accept: 'application/json' },
  });
  check(locked.status() === 429, 'then even the right password is refused');
} catch (e) {
  failures++;
  console.log(`not ok - the walk stopped: ${e.stack || e}`);
  if (page) {
    console.log(`# at ${page.url()}`);
    await page.screenshot({ path: path.join(outdir, 'stopped.png'), fullPage: true }).catch(() => {});
  }
} finally {
  if (browser) await browser.close();
  const exited = new Promise((resolve) => server.on('exit', (code, signal) => resolve({ code, signal })));
  server.kill('SIGTERM');
  const { code, signal } = await exited;
  check(code === 0, `SIGTERM stops carewatch serve cleanly (exit ${code}${signal ? `, ${signal}` : ''})`);
  check(!/token|csrf=|password=/i.test(serverLog), 'the request log holds no token, form or password');
  fs.writeFileSync(path.join(outdir, 'serve.log'), serverLog);
  fs.rmSync(dir, { recursive: true, force: true });
}
console.log(failures ? `${failures} check(s) failed; screenshots in ${outdir}` : `all passed; screenshots in ${outdir}`);
process.exit(failures ? 1 : 0);
