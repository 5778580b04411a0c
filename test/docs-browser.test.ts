/**
 * The documentation site as a reader sees it: `docs-site/` (built by `npx typedoc`) served on
 * 127.0.0.1 and opened through playwright-core in the Chromium that `npm ci` installs
 * (`@sparticuz/chromium`, see `test/support/browser.ts`), or in the browser named by
 * `UTRACE_BROWSER` if that is set. Checks that the home
 * page loads, that the guide titled 'Engine lifecycle' shows the lifecycle diagram, that the
 * guide titled 'Kernel mapping' exists, and that the site search finds `utrace_detach_sync`.
 * Screenshots go to `build/screenshots/`.
 *
 * Run by `npm run test:browser` (which builds the site first); skipped elsewhere, so that
 * `node --test build/test/*.test.js` does not depend on a browser or on a built site.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { repoRoot } from '../scripts/paths.js';
import { BROWSER_VARIABLE, type BrowserChoice, cacheDir, chooseBrowser } from './support/browser.js';

const SITE = join(repoRoot, 'docs-site');
const SHOTS = join(repoRoot, 'build', 'screenshots');
const enabled = process.env['UTRACE_BROWSER_TEST'] === '1';

const contentTypes: { readonly [ext: string]: string } = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

/** A static file server for `root`, on 127.0.0.1 and a port the system picks. */
async function serve(root: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let path = normalize(join(root, decodeURIComponent(url.pathname)));
    if (path !== root && !path.startsWith(root + sep)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(path) && statSync(path).isDirectory()) path = join(path, 'index.html');
    if (!existsSync(path)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': contentTypes[extname(path)] ?? 'application/octet-stream' });
    res.end(readFileSync(path));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, origin: `http://127.0.0.1:${port}` };
}

/** The executables of this process's direct children, read from /proc (Linux). */
function childExecutables(): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Fields after the command name, which is in parentheses and may hold spaces.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid) found.push(readlinkSync(`/proc/${pid}/exe`));
    } catch {
      // The process ended meanwhile, or is not ours to read.
    }
  }
  return found;
}

describe('choice of browser', () => {
  it('uses the npm-installed Chromium unless a browser is named, whatever is installed system-wide', async () => {
    const choice = await chooseBrowser({ PATH: '/usr/bin:/bin' });
    assert.equal(choice.source, 'npm');
    assert.ok(choice.executablePath.startsWith(cacheDir() + sep), choice.executablePath);
    assert.ok(existsSync(choice.executablePath));
  });

  it(`uses the browser named by ${BROWSER_VARIABLE}, and says so when it is missing`, async () => {
    const named = await chooseBrowser({ [BROWSER_VARIABLE]: process.execPath });
    assert.deepEqual([named.source, named.executablePath], [BROWSER_VARIABLE, process.execPath]);
    await assert.rejects(chooseBrowser({ [BROWSER_VARIABLE]: '/nonexistent/chromium' }), (e: Error) => {
      assert.match(e.message, /UTRACE_BROWSER=\/nonexistent\/chromium: no such file; unset it/);
      return true;
    });
  });
});

describe('documentation site in Chromium', { skip: enabled ? false : 'run by npm run test:browser' }, () => {
  let server: Server;
  let origin = '';
  let browser: Browser;
  let page: Page;
  let choice: BrowserChoice;
  const problems: string[] = [];

  before(async () => {
    assert.ok(existsSync(join(SITE, 'index.html')), 'docs-site/index.html is missing: run npx typedoc first');
    choice = await chooseBrowser();
    mkdirSync(SHOTS, { recursive: true });
    ({ server, origin } = await serve(SITE));
    browser = await chromium.launch({
      executablePath: choice.executablePath,
      env: { ...process.env, ...choice.env },
      headless: true,
      args: [
        ...choice.args,
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('response', (r) => {
      if (r.url().startsWith(origin) && r.status() >= 400) problems.push(`${r.status()} for ${r.url()}`);
    });
  });

  after(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  /** Opens the page whose navigation link reads `title`, from the home page's sidebar. */
  async function openGuide(title: string): Promise<void> {
    await page.goto(`${origin}/index.html`);
    const link = page.locator('.site-menu a, #tsd-nav-container a, nav a').filter({ hasText: new RegExp(`^\\s*${title}\\s*$`) });
    await link.first().waitFor({ state: 'attached' });
    const href = await link.first().getAttribute('href');
    assert.ok(href !== null, `no link titled '${title}' in the site navigation`);
    await page.goto(new URL(href, page.url()).href);
    assert.equal(await page.title(), `${title} | utrace`);
  }

  it('runs the browser chosen above (the npm one unless UTRACE_BROWSER names another)', () => {
    const launched = childExecutables();
    const chosen = realpathSync(choice.executablePath);
    assert.ok(launched.includes(chosen), `launched ${JSON.stringify(launched)}, chose ${chosen}`);
    if (choice.source === 'npm') assert.ok(!launched.includes('/usr/bin/chromium') && !launched.some((p) => p.startsWith('/usr/lib/chromium')));
  });

  it('loads the home page', async () => {
    const response = await page.goto(`${origin}/index.html`);
    assert.equal(response?.status(), 200);
    assert.match(await page.title(), /utrace/);
    await page.screenshot({ path: join(SHOTS, 'home.png') });
  });

  it("shows the lifecycle diagram on the 'Engine lifecycle' guide", async () => {
    await openGuide('Engine lifecycle');
    const img = page.locator('img[src*="lifecycle.svg"]').first();
    await img.scrollIntoViewIfNeeded();
    // The page's own code runs in the browser; this package compiles without DOM types.
    await page.waitForFunction(
      `(() => { const i = document.querySelector('img[src*="lifecycle.svg"]'); return i !== null && i.complete && i.naturalWidth > 0; })()`,
    );
    const size = await img.evaluate((el) => {
      const i = el as unknown as { naturalWidth: number; clientWidth: number };
      return { natural: i.naturalWidth, shown: i.clientWidth };
    });
    assert.ok(size.natural > 0 && size.shown > 300, `diagram not shown: ${JSON.stringify(size)}`);
    await img.screenshot({ path: join(SHOTS, 'lifecycle-diagram.png') });
    await page.screenshot({ path: join(SHOTS, 'engine-lifecycle.png'), fullPage: true });
  });

  it("shows the explorer guide's timeline at a size where its text is legible (at least 11 px)", async () => {
    await openGuide('The explorer');
    const selector = 'img[src*="set-events-einprogress-free.svg"]';
    const img = page.locator(selector).first();
    await img.scrollIntoViewIfNeeded();
    await page.waitForFunction(`(() => { const i = document.querySelector('${selector}'); return i !== null && i.complete && i.naturalWidth > 0; })()`);
    const shown = await img.evaluate((el) => {
      const i = el as unknown as { src: string; naturalWidth: number; clientWidth: number };
      return { src: i.src, natural: i.naturalWidth, width: i.clientWidth };
    });
    // The smallest font size the picture sets, in its own pixels, scaled as the page shows it.
    const svg = readFileSync(join(SITE, new URL(shown.src).pathname), 'utf8');
    const sizes = [...svg.matchAll(/font-size:\s*([\d.]+)px/g)].map((m) => Number(m[1]));
    assert.ok(sizes.length > 0, 'the timeline sets no font size');
    const rendered = (Math.min(...sizes) * shown.width) / shown.natural;
    assert.ok(rendered >= 11, `timeline text rendered at ${rendered.toFixed(1)} px (${JSON.stringify(shown)})`);
    await img.screenshot({ path: join(SHOTS, 'explorer-timeline.png') });
  });

  it("has the 'Kernel mapping' guide", async () => {
    await openGuide('Kernel mapping');
    assert.match((await page.locator('h1').first().textContent()) ?? '', /Kernel mapping/);
    await page.screenshot({ path: join(SHOTS, 'kernel-mapping.png') });
  });

  for (const guide of ['Kernel mapping', 'Reliability']) {
    it(`keeps the tables of '${guide}' inside the column (they scroll)`, async () => {
      await openGuide(guide);
      const overflow = await page.evaluate(`(() => {
        const column = document.querySelector('.col-content');
        const right = column.getBoundingClientRect().right;
        return [...document.querySelectorAll('.tsd-typography table')]
          .map((t, i) => ({ i, right: t.getBoundingClientRect().right, scrolls: getComputedStyle(t).overflowX }))
          .filter((t) => t.right > right + 1 || t.scrolls !== 'auto')
          .map((t) => JSON.stringify(t));
      })()`);
      assert.deepEqual(overflow, []);
      const pageWidth = (await page.evaluate('document.documentElement.scrollWidth')) as number;
      assert.ok(pageWidth <= 1280, `the page is ${pageWidth} px wide`);
    });
  }

  it('shows "utrace" once as the home page title, and no link text with the utrace! prefix anywhere', async () => {
    await page.goto(`${origin}/index.html`);
    const headings = (await page.evaluate(`[...document.querySelectorAll('h1')].filter((h) => h.offsetParent !== null).map((h) => h.textContent.trim())`)) as string[];
    assert.deepEqual(headings, ['utrace']);
    for (const title of ['Kernel mapping', 'Engine lifecycle']) {
      await openGuide(title);
      const text = (await page.evaluate('document.body.innerText')) as string;
      assert.ok(!text.includes('utrace!'), `${title} shows utrace!`);
      assert.ok(!text.includes('{@link'), `${title} shows a raw {@link`);
      // The guides' links to API names lead to the API pages.
      const href = await page.locator('.tsd-typography a:has(code)').first().getAttribute('href');
      assert.match(href ?? '', /^\.\.\/(functions|variables|types|interfaces|classes)\//, `${title}: ${href}`);
    }
  });

  it('finds utrace_detach_sync with the site search', async () => {
    await page.goto(`${origin}/index.html`);
    await page.locator('#tsd-search-trigger').click();
    const input = page.locator('#tsd-search-input');
    await input.waitFor({ state: 'visible' });
    await input.fill('utrace_detach_sync');
    // The function itself, not the accepted_states member of the same name.
    const hit = page
      .locator('#tsd-search-results li')
      .filter({ has: page.locator('svg[aria-label="Function"]') })
      .filter({ hasText: 'utrace_detach_sync' })
      .first();
    await hit.waitFor({ state: 'visible' });
    await page.screenshot({ path: join(SHOTS, 'search.png') });
    await hit.locator('a').first().click();
    await page.waitForURL(/utrace_detach_sync/);
    assert.equal(await page.title(), 'utrace_detach_sync | utrace');
    await page.screenshot({ path: join(SHOTS, 'utrace_detach_sync.png') });
  });

  it('had no script errors and no missing files', () => {
    assert.deepEqual(problems, []);
  });
});
