// Page-impact benchmark (issue 6): what the widget costs the page it is pasted into. In one run it
// loads a blank host page and the same page with the snippet, cold (a fresh Chromium each time),
// at 1x and 4x CPU throttling, and prints the two side by side with the targets. It is not a
// timed test. Usage: `npm run bench:page -- [flags]` (see --help); `npm run bench:page` builds first.
//
// The Parley server runs in this process from the build (dist/), with a widget that allows the
// host site; the host site is a small server on another loopback port, so the widget is
// cross-origin as on a real site. Each load records, from the page itself: first contentful paint,
// the load event, when the snippet's bubble and the labelled launcher are first painted, long
// tasks (PerformanceObserver 'longtask') and layout shifts ('layout-shift'); Chromium's network log
// gives the bytes fetched from the Parley server, compressed here with gzip and brotli as
// `npm run size` does.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromiumPath, launchChromium } from '../scripts/chromium.mjs';
import { budgets, compressedSizes } from '../scripts/size.mjs';

// Functions passed to page.evaluate and addInitScript run in the page, with its globals.
/* global window, document, requestAnimationFrame, MutationObserver */

const { values: flags } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    throttles: { type: 'string', default: '1,4' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

const usage = `Usage: node bench/page.mjs [flags]   (npm run bench:page -- [flags] builds first)

  --runs N         cold loads per page and CPU rate (default 7)
  --throttles a,b  CPU slow-down rates for Emulation.setCPUThrottlingRate (default 1,4)
  --json           also print the figures as one JSON line`;

if (flags.help) {
  console.log(usage);
  process.exit(0);
}
const runs = Number(flags.runs);
const throttles = flags.throttles.split(',').map(Number);
if (!Number.isInteger(runs) || runs < 1 || throttles.some((rate) => !(rate >= 1))) {
  console.error(`bench:page: --runs must be a positive integer and --throttles rates of at least 1\n\n${usage}`);
  process.exit(2);
}

const root = new URL('..', import.meta.url).pathname;
const distDir = join(root, 'dist');

/** Targets of issue 6, in the units printed below. */
const targets = {
  beforeLauncherBrotli: budgets.launcherBrotli,
  widgetBrotli: budgets.widgetBrotli,
  launcherAfterBlankMs: 40,
  longTasks: 0,
  cls: 0,
};

// ---------------------------------------------------------------------------------------------
// The servers: Parley from the build, and the host site with the blank and the snippet page.

async function startParley(siteOrigin) {
  const { startServer, resolveConfig, createAccount, createWidget } = await import('../dist/node/server/index.js');
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-page-'));
  const config = resolveConfig(['--port', '0', '--data', dataDir], {}, { assetsDir: distDir, examplesDir: dataDir });
  const server = await startServer(config);
  const accountId = await createAccount(server.store.db, 'Bench');
  const widgetId = await createWidget(server.store.db, accountId, { name: 'Bench', allowedOrigins: [siteOrigin] });
  return {
    url: server.url,
    widgetId,
    async close() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The same host page twice: without and with the README's snippet pasted before `</body>`. */
function hostPage(snippet) {
  const paragraph = '<p>Our shop sells sturdy boots for every season. Free returns within 30 days.</p>';
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Boot shop</title>
    <style>body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:40rem;padding:1rem}</style>
  </head>
  <body>
    <h1>Boot shop</h1>
    ${paragraph.repeat(12)}
    ${snippet}
  </body>
</html>`;
}

async function startHostSite() {
  const pages = new Map();
  const server = createServer((request, response) => {
    const body = pages.get(request.url);
    if (body === undefined) return void response.writeHead(request.url === '/favicon.ico' ? 204 : 404).end();
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    setPages(parley) {
      const snippetCode = readFileSync(join(distDir, 'snippet/snippet.js'), 'utf8');
      pages.set('/blank.html', hostPage(''));
      pages.set(
        '/snippet.html',
        hostPage(`<script data-widget="${parley.widgetId}" data-server="${parley.url}">${snippetCode}</script>`),
      );
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

// ---------------------------------------------------------------------------------------------
// One cold load.

/**
 * Runs in the page before its own scripts: records long tasks and layout shifts from the start,
 * and the frames in which the snippet's bubble and the labelled launcher are first painted (each
 * one's insertion, then the next animation frame).
 */
function recordInPage() {
  const bench = { longTasks: [], cls: 0, bubble: undefined, launcher: undefined, inserted: undefined };
  window.__bench = bench;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) bench.longTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) bench.cls += entry.value;
  }).observe({ type: 'layout-shift', buffered: true });
  const launcherIn = (root) => {
    const button = root.querySelector('#parley-launcher');
    if (button && !button.hidden) {
      bench.inserted ??= performance.now();
      requestAnimationFrame((frameStart) => (bench.launcher ??= frameStart));
    }
    return Boolean(button);
  };
  const watchHost = (host) => {
    if (!host.shadowRoot || launcherIn(host.shadowRoot)) return;
    const observer = new MutationObserver(() => launcherIn(host.shadowRoot) && observer.disconnect());
    observer.observe(host.shadowRoot, { childList: true });
  };
  let hostSeen = false;
  new MutationObserver((records, observer) => {
    for (const record of records)
      for (const node of record.addedNodes) {
        if (node.nodeName === 'PARLEY-BUBBLE') requestAnimationFrame((frameStart) => (bench.bubble ??= frameStart));
        if (node.nodeName === 'PARLEY-WIDGET' && !hostSeen) {
          hostSeen = true;
          watchHost(node);
        }
      }
    if (hostSeen) observer.disconnect();
  }).observe(document, { childList: true, subtree: true });
}

const quietMs = 1000;
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Fetched resources of the Parley server: URL, when it finished (page clock), bytes. */
async function parleyResources(page, fetched, parleyUrl) {
  const ends = new Map(
    await page.evaluate(() => performance.getEntriesByType('resource').map((entry) => [entry.name, entry.responseEnd])),
  );
  return Promise.all(
    fetched
      .filter((request) => request.url().startsWith(parleyUrl))
      .map(async (request) => {
        const response = await request.response();
        const sizes = await request.sizes();
        const body = response ? await response.body().catch(() => Buffer.alloc(0)) : Buffer.alloc(0);
        return {
          path: new URL(request.url()).pathname,
          end: ends.get(request.url()) ?? Infinity,
          transfer: sizes.responseHeadersSize + sizes.responseBodySize,
          ...compressedSizes(body),
        };
      }),
  );
}

const sumOf = (resources) =>
  resources.reduce(
    (total, resource) => ({
      files: total.files + 1,
      transfer: total.transfer + resource.transfer,
      gzip: total.gzip + resource.gzip,
      brotli: total.brotli + resource.brotli,
    }),
    { files: 0, transfer: 0, gzip: 0, brotli: 0 },
  );

const blockingMs = (tasks) => tasks.reduce((sum, task) => sum + Math.max(0, task.duration - 50), 0);

async function coldLoad(url, rate, parleyUrl) {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate });
    await page.addInitScript(recordInPage);
    const fetched = [];
    page.on('requestfinished', (request) => fetched.push(request));
    await page.goto(url, { waitUntil: 'load' });
    const withSnippet = url.endsWith('/snippet.html');
    if (withSnippet) await page.waitForFunction(() => window.__bench.launcher !== undefined, null, { timeout: 20_000 });
    await pause(quietMs);
    const loaded = await page.evaluate(() => ({
      fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
      load: performance.getEntriesByType('navigation')[0]?.loadEventEnd,
      bubble: window.__bench.bubble,
      launcher: window.__bench.launcher,
      inserted: window.__bench.inserted,
      longTasks: [...window.__bench.longTasks],
      cls: window.__bench.cls,
    }));
    // The launcher is first seen as the snippet's bubble, unless the page has none.
    const shown = Math.min(loaded.bubble ?? Infinity, loaded.launcher);
    const result = {
      fcp: loaded.fcp,
      load: loaded.load,
      shown: withSnippet ? shown : undefined,
      launcher: loaded.launcher,
      // Per load, against the same page's first paint: free of the spread between fresh browsers.
      launcherAfterFcp: withSnippet ? shown - loaded.fcp : undefined,
      longTasks: loaded.longTasks.length,
      blocking: blockingMs(loaded.longTasks),
      cls: loaded.cls,
    };
    if (!withSnippet) return result;

    const beforeLauncher = (await parleyResources(page, fetched, parleyUrl)).filter(
      // Against the moment the launcher went in: the frame that paints it may begin a little earlier.
      (resource) => resource.end <= loaded.inserted,
    );
    // Interest, then a click: the rest of the widget (the chat box, the connection engine) loads.
    const launcher = page.locator('#parley-launcher');
    await launcher.hover();
    await launcher.click();
    await page.locator('#parley-chat').waitFor();
    await pause(quietMs);
    const opened = await page.evaluate(() => [...window.__bench.longTasks]);
    const openTasks = opened.slice(loaded.longTasks.length);
    const widgetFiles = (await parleyResources(page, fetched, parleyUrl)).filter((resource) =>
      /^\/widget(\.js$|\/)/.test(resource.path),
    );
    return {
      ...result,
      beforeLauncher: sumOf(beforeLauncher),
      beforeLauncherPaths: beforeLauncher.map((resource) => resource.path.replace(/\/widgets\/[^/]+\//, '/widgets/…/')),
      widget: sumOf(widgetFiles),
      openLongTasks: openTasks.length,
      openBlocking: blockingMs(openTasks),
    };
  } finally {
    await browser.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Statistics and the report.

const sorted = (values) => [...values].sort((a, b) => a - b);
const median = (values) => {
  const list = sorted(values);
  const middle = list.length >> 1;
  return list.length % 2 ? list[middle] : (list[middle - 1] + list[middle]) / 2;
};
/** Nearest-rank percentile: with 7 loads, p90 is the slowest. */
const p90 = (values) => sorted(values)[Math.ceil(values.length * 0.9) - 1];
const fmt = (value, digits = 0) => (value === undefined ? '—' : value.toFixed(digits));
const signed = (value) => `${value >= 0 ? '+' : ''}${value.toFixed(0)}`;
const bytes = (value) => value.toLocaleString('en-US');

function summary(samples, key) {
  const values = samples.map((sample) => sample[key]);
  return { median: median(values), p90: p90(values) };
}

function printRate(rate, blank, snippet) {
  const rows = [
    ['first contentful paint (ms)', 'fcp', 0],
    ['load event (ms)', 'load', 0],
    ['launcher shown (ms)', 'shown', 0],
    ['labelled launcher (ms)', 'launcher', 0],
    ['launcher shown after own FCP', 'launcherAfterFcp', 0],
    ['long tasks', 'longTasks', 0],
    ['total blocking time (ms)', 'blocking', 0],
    ['cumulative layout shift', 'cls', 3],
  ];
  console.log(`\nCPU ${rate}x: median / p90 of ${runs} cold loads each`);
  console.log(`${''.padEnd(30)}${'blank page'.padStart(16)}${'snippet page'.padStart(16)}${'difference'.padStart(22)}`);
  for (const [label, key, digits] of rows) {
    const cell = (samples) =>
      samples[0][key] === undefined
        ? '—'
        : `${fmt(summary(samples, key).median, digits)} / ${fmt(summary(samples, key).p90, digits)}`;
    let difference = '';
    if (key === 'shown' || key === 'launcher') {
      // The launcher against the blank page's first paint: how long after the page shows the launcher does.
      difference = `${signed(summary(snippet, key).median - summary(blank, 'fcp').median)} vs blank FCP`;
    } else if (digits === 0 && blank[0][key] !== undefined) {
      difference = `${signed(summary(snippet, key).median - summary(blank, key).median)} / ${signed(summary(snippet, key).p90 - summary(blank, key).p90)}`;
    }
    console.log(
      `${label.padEnd(30)}${cell(blank).padStart(16)}${cell(snippet).padStart(16)}${difference.padStart(22)}`,
    );
  }
  const open = summary(snippet, 'openLongTasks');
  console.log(
    `${'opening the chat box'.padEnd(30)}${''.padStart(16)}${`${fmt(open.median)} long tasks, ${fmt(summary(snippet, 'openBlocking').median)} ms TBT`.padStart(32)}`,
  );
}

async function main() {
  if (!existsSync(chromiumPath)) {
    console.error(`bench:page needs Debian's Chromium at ${chromiumPath} (apt-get install -y chromium)`);
    process.exit(1);
  }
  const site = await startHostSite();
  const parley = await startParley(site.origin);
  site.setPages(parley);
  const results = {};
  try {
    // One unrecorded load of each page warms the server's file reads and the disk cache.
    for (const page of ['blank', 'snippet']) await coldLoad(`${site.origin}/${page}.html`, 1, parley.url);
    for (const rate of throttles) {
      const blank = [];
      const snippet = [];
      // Interleaved, so a slow moment of a shared machine hits both pages alike.
      for (let run = 0; run < runs; run++) {
        blank.push(await coldLoad(`${site.origin}/blank.html`, rate, parley.url));
        snippet.push(await coldLoad(`${site.origin}/snippet.html`, rate, parley.url));
        process.stderr.write('.');
      }
      results[rate] = { blank, snippet };
    }
  } finally {
    process.stderr.write('\n');
    await parley.close();
    await site.close();
  }

  const browserVersion = await launchChromium().then(async (browser) => {
    const version = browser.version();
    await browser.close();
    return version;
  });
  console.log(`Page impact of the Parley widget: Chromium ${browserVersion}, a fresh browser per load`);
  for (const rate of throttles) printRate(rate, results[rate].blank, results[rate].snippet);

  // Bytes, as medians of every snippet load: a chunk the entry fetches beside the config may or
  // may not finish before the launcher's frame, so the files before the launcher vary.
  const snippets = throttles.flatMap((rate) => results[rate].snippet);
  const medianSize = (key) =>
    Object.fromEntries(
      ['files', 'transfer', 'gzip', 'brotli'].map((unit) => [
        unit,
        median(snippets.map((sample) => sample[key][unit])),
      ]),
    );
  const beforeLauncher = medianSize('beforeLauncher');
  const widget = medianSize('widget');
  console.log(`\nBytes fetched from the Parley server, median of ${snippets.length} loads (the snippet is inline)`);
  console.log(`${''.padEnd(44)}${['files', 'transfer', 'gzip', 'brotli'].map((h) => h.padStart(10)).join('')}`);
  const byteRow = (label, size) =>
    console.log(
      `${label.padEnd(44)}${[size.files, size.transfer, size.gzip, size.brotli].map((n) => bytes(n).padStart(10)).join('')}`,
    );
  byteRow('before the labelled launcher is painted', beforeLauncher);
  const seen = new Map();
  for (const path of snippets.flatMap((sample) => sample.beforeLauncherPaths))
    seen.set(path, (seen.get(path) ?? 0) + 1);
  console.log(`  (${[...seen].map(([path, count]) => `${path} in ${count}/${snippets.length}`).join(', ')})`);
  byteRow('the whole widget (after opening the box)', widget);
  console.log(
    '  transfer: as served, headers included (the server does not compress); gzip -9 and brotli q11 per file',
  );

  const hardest = Math.max(...throttles);
  const atHardest = results[hardest];
  const launcherGap = summary(atHardest.snippet, 'shown').median - summary(atHardest.blank, 'fcp').median;
  const labelGap = summary(atHardest.snippet, 'launcher').median - summary(atHardest.blank, 'fcp').median;
  // Medians, like the launcher's: a shared machine also gives the blank page the odd long task.
  const longTasks = summary(atHardest.snippet, 'longTasks').median;
  const blankLongTasks = summary(atHardest.blank, 'longTasks').median;
  const cls = Math.max(...throttles.flatMap((rate) => results[rate].snippet.map((sample) => sample.cls)));
  const checks = [
    [
      'before the labelled launcher, brotli (median)',
      `${bytes(beforeLauncher.brotli)} B`,
      `≤ ${bytes(targets.beforeLauncherBrotli)} B`,
      beforeLauncher.brotli <= targets.beforeLauncherBrotli,
    ],
    [
      'the whole widget, brotli',
      `${bytes(widget.brotli)} B`,
      `≤ ${bytes(targets.widgetBrotli)} B`,
      widget.brotli <= targets.widgetBrotli,
    ],
    [
      `launcher shown after the blank FCP, ${hardest}x (median)`,
      `${signed(launcherGap)} ms`,
      `≤ ${targets.launcherAfterBlankMs} ms`,
      launcherGap <= targets.launcherAfterBlankMs,
    ],
    [
      `long tasks as the snippet page loads, ${hardest}x (median)`,
      `${fmt(longTasks)} (blank ${fmt(blankLongTasks)})`,
      String(targets.longTasks),
      longTasks <= targets.longTasks,
    ],
    ['CLS of the snippet page (max)', fmt(cls, 3), String(targets.cls), cls <= targets.cls],
  ];
  console.log(`\nTargets (issue 6)`);
  for (const [label, measured, target, met] of checks) {
    console.log(`${label.padEnd(50)}${measured.padStart(14)}${target.padStart(12)}   ${met ? 'met' : 'NOT MET'}`);
  }
  console.log(`  (the launcher is shown as the snippet's bubble; its label follows at ${signed(labelGap)} ms)`);
  if (flags.json) console.log(JSON.stringify({ chromium: browserVersion, runs, results }));
}

await main();
