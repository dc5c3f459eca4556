// Drives the edge's browser page (served at / on the WebSocket port) in headless Chromium,
// as the acceptance suite's BrowserPageIT does, or by hand (npm ci in this directory first):
//
//   node page-test.mjs --url http://127.0.0.1:8080/ --token "$(./frontier ctl token --user alice --device browser-1)" \
//       --device browser-1 --push-text hi
//
// then push "hi" to alice within --timeout-ms (./frontier ctl push --user alice --text hi --wait-ack).
//
// It pastes the token, connects, waits for the HELLO, prints {"event":"ready"} and waits for a
// push with --push-text (the page acks it); then sends --message to --service and waits for the
// reply; then disconnects. Every step prints one JSON line on stdout; the last one is
// {"event":"done"} (exit 0) or {"event":"failed","error":...} (exit 1, with a screenshot of the
// page under --screenshot-dir). Options may also come from the environment: PAGE_URL,
// FRONTIER_TOKEN, DEVICE_ID, PUSH_TEXT, CHROMIUM (the browser, /usr/bin/chromium by default).
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const { values: opts } = parseArgs({
  options: {
    url: { type: 'string', default: process.env.PAGE_URL },
    token: { type: 'string', default: process.env.FRONTIER_TOKEN },
    device: { type: 'string', default: process.env.DEVICE_ID ?? 'browser-1' },
    'push-text': { type: 'string', default: process.env.PUSH_TEXT ?? 'hello browser' },
    service: { type: 'string', default: '1001' },
    message: { type: 'string', default: 'hello from the page test' },
    'timeout-ms': { type: 'string', default: '30000' },
    'screenshot-dir': { type: 'string', default: resolve(here, '../../../target/browser-test') },
    chromium: { type: 'string', default: process.env.CHROMIUM ?? '/usr/bin/chromium' },
  },
});

const emit = (event, fields = {}) => process.stdout.write(JSON.stringify({ event, ...fields }) + '\n');

if (!opts.url || !opts.token) {
  emit('failed', { error: 'usage: node page-test.mjs --url URL --token TOKEN [--device ID] [--push-text S] (or PAGE_URL, FRONTIER_TOKEN)' });
  process.exit(2);
}
const timeout = Number(opts['timeout-ms']);

// Chromium as this machine can run it: headless, no sandbox (root), no GPU, and nothing that
// reaches out to the network by itself; a fresh profile each run.
const profile = mkdtempSync(join(tmpdir(), 'frontier-page-test-'));
let context;
let page;
let step = 'launching Chromium';
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: opts.chromium,
    headless: true,
    timeout,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = context.pages()[0] ?? await context.newPage();
  page.setDefaultTimeout(timeout);
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') emit('console', { type: m.type(), text: m.text() }); });

  step = 'opening the page';
  const response = await page.goto(opts.url);
  if (!response || !response.ok()) throw new Error('GET ' + opts.url + ' answered ' + (response && response.status()));
  emit('opened', { url: opts.url, title: await page.title() });

  step = 'connecting';
  await page.locator('#token').fill(opts.token); // what a paste leaves in the field
  await page.locator('#device').fill(opts.device);
  await page.locator('#connect').click();
  const hello = page.locator('#log li[data-kind="hello"]');
  const closed = page.locator('#log li[data-kind="close"]');
  await hello.or(closed).first().waitFor();
  if (await closed.count() > 0) throw new Error('the connection closed before HELLO: ' + await closed.first().innerText());
  emit('hello', {
    connId: await hello.getAttribute('data-conn-id'),
    userId: await hello.getAttribute('data-user-id'),
    pingIntervalMs: Number(await hello.getAttribute('data-ping-interval-ms')),
    shown: await page.locator('#conn-id').textContent(),
  });

  step = 'waiting for the push';
  emit('ready');
  const push = page.locator('#log li[data-kind="push"]', { hasText: opts['push-text'] });
  await push.waitFor();
  await page.locator('#log li[data-kind="push"][data-acked="true"]', { hasText: opts['push-text'] }).waitFor();
  emit('push', {
    seqid: await push.getAttribute('data-seqid'),
    text: await push.locator('.text').textContent(),
    acked: (await push.getAttribute('data-acked')) === 'true',
  });

  step = 'sending a message';
  await page.locator('#service').fill(opts.service);
  await page.locator('#message').fill(opts.message);
  const seqid = await page.locator('#seqid').inputValue();
  await page.locator('#send').click();
  const reply = page.locator(`#log li[data-kind="reply"][data-seqid="${seqid}"]`);
  await reply.waitFor();
  const replyText = await reply.locator('.text').textContent();
  const status = await reply.getAttribute('data-status');
  emit('reply', { seqid, status, text: replyText });
  if (status !== '200') throw new Error('the reply to seqid ' + seqid + ' has status ' + status + ': ' + replyText);
  if (!replyText.includes(opts.message)) throw new Error('the reply does not carry "' + opts.message + '": ' + replyText);

  step = 'disconnecting';
  await page.locator('#disconnect').click();
  await closed.waitFor();
  emit('closed', { code: Number(await closed.getAttribute('data-code')), state: await page.locator('#state').getAttribute('data-state') });

  if (pageErrors.length > 0) throw new Error('the page threw: ' + pageErrors.join('; '));
  emit('done');
  process.exitCode = 0;
} catch (e) {
  let screenshot;
  if (page) {
    try {
      mkdirSync(opts['screenshot-dir'], { recursive: true });
      screenshot = join(opts['screenshot-dir'], 'page-test-failure-' + Date.now() + '.png');
      await page.screenshot({ path: screenshot, fullPage: true, timeout: 5000 });
    } catch (shotError) {
      screenshot = 'none: ' + String(shotError).split('\n')[0];
    }
  }
  let log;
  try {
    log = page ? await page.locator('#log').innerText({ timeout: 2000 }) : undefined;
  } catch {
    log = undefined;
  }
  emit('failed', { step, error: String(e && e.message || e).split('\n')[0], screenshot, log });
  process.exitCode = 1;
} finally {
  if (context) await context.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
}
