import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { afterAll, beforeAll } from 'vitest';
import { type Browser, type Locator, type Page, chromium } from 'playwright-core';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
/** Screenshots of each main page, saved by every run. */
export const screenshotDir = join(repoRoot, 'apps', 'web', 'test-results', 'screenshots');

/** Debian's Chromium (never a downloaded browser). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * The built server (apps/server/dist) on a free port with an empty data folder. `restart` stops
 * it and starts it again on the same port and data (with other environment, e.g. a new BUILD_ID).
 */
export async function startServer(
  env: Record<string, string> = {},
): Promise<{ url: string; dataDir: string; stop: () => Promise<void>; restart: (env?: Record<string, string>) => Promise<void> }> {
  const entry = join(repoRoot, 'apps', 'server', 'dist', 'index.js');
  if (!existsSync(entry)) throw new Error('apps/server/dist is missing: run `npm run build` first');
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'samverkan-e2e-'));
  const url = `http://127.0.0.1:${port}`;
  const launch = async (extra: Record<string, string>): Promise<ChildProcess> => {
    const child = spawn(process.execPath, [entry], {
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, PUBLIC_URL: url, LOG_LEVEL: 'warn', MONGODB_URL: '', ...extra },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        if ((await fetch(`${url}/api/health`)).ok) break;
      } catch {
        // not up yet
      }
      if (Date.now() > deadline) throw new Error('the server did not start');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return child;
  };
  const halt = async (child: ChildProcess) => {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  let child = await launch(env);
  return {
    url,
    dataDir,
    stop: async () => {
      await halt(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
    restart: async (next: Record<string, string> = env) => {
      await halt(child);
      child = await launch(next);
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Runs axe with every rule and no excluded region; returns the violations (id and the first target). */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).slice(0, 3).join(', ')}`);
}

/** Small pictures of the main screens for the README, refreshed by every run. */
export const readmeImageDir = join(repoRoot, 'docs', 'images', 'screens');

/** A full-page screenshot for the run; with `readme`, also the visible part as a README picture. */
export async function screenshot(page: Page, name: string, options: { readme?: boolean } = {}): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
  if (options.readme) {
    mkdirSync(readmeImageDir, { recursive: true });
    await page.screenshot({ path: join(readmeImageDir, `${name}.png`), scale: 'css', animations: 'disabled' });
  }
}

/** A context with the README pictures' size. */
export const VIEWPORT = { width: 1100, height: 720 };

/**
 * Every text node and accessible-name attribute on the page outside user content
 * (`[data-user-content]`) that is not a message of `catalogue` (placeholders match any text;
 * text without letters, such as punctuation, is ignored).
 */
export async function textsOutsideCatalogue(page: Page, catalogue: Record<string, string>): Promise<string[]> {
  const found = await page.evaluate(() => {
    const texts: string[] = [];
    const outsideUserContent = (element: Element | null) => element !== null && element.closest('[data-user-content]') === null && element.closest('script, style, noscript') === null;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (outsideUserContent(node.parentElement)) texts.push(node.textContent ?? '');
    }
    for (const element of document.body.querySelectorAll('[aria-label], [title], [placeholder], [alt], optgroup[label]')) {
      if (!outsideUserContent(element)) continue;
      for (const attribute of ['aria-label', 'title', 'placeholder', 'alt', 'label']) {
        const value = element.getAttribute(attribute);
        if (value !== null && (attribute !== 'label' || element.tagName === 'OPTGROUP')) texts.push(value);
      }
    }
    return texts;
  });
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // A message that is only placeholders (a formatted number) would match anything: not a pattern.
  const patterns = Object.values(catalogue).filter((message) => /\p{L}/u.test(message.replace(/\{\{[^}]*\}\}/g, ''))).map((message) => {
    const parts = message.trim().split(/\{\{[^}]*\}\}/).map((part) => escape(part).replace(/\s+/g, '\\s*'));
    return new RegExp(`^${parts.join('.*')}$`, 'su');
  });
  return [...new Set(found.map((text) => text.replace(/\s+/g, ' ').trim()))].filter((text) => /\p{L}/u.test(text) && !patterns.some((pattern) => pattern.test(text)));
}

/**
 * Presses Tab (keyboard only) until the focused element matches: its accessible text (label,
 * aria-label or text) contains `name`, and, if given, it is inside `within`.
 */
export async function tabTo(page: Page, name: string, within?: string, maxPresses = 80): Promise<void> {
  for (let presses = 0; presses < maxPresses; presses++) {
    await page.keyboard.press('Tab');
    const matches = await page.evaluate(
      ([wanted, container]) => {
        const element = document.activeElement as HTMLElement | null;
        if (!element || element === document.body) return false;
        if (container && !element.closest(container)) return false;
        const labelled = element.getAttribute('aria-labelledby');
        const texts = [
          element.getAttribute('aria-label') ?? '',
          labelled ? labelled.split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' ') : '',
          ...Array.from((element as HTMLInputElement).labels ?? []).map((label) => label.textContent ?? ''),
          element.tagName === 'SELECT' || element.tagName === 'INPUT' || element.tagName === 'TEXTAREA' ? '' : (element.textContent ?? ''),
        ];
        return texts.some((text) => text.includes(wanted ?? ''));
      },
      [name, within ?? null] as const,
    );
    if (matches) return;
  }
  throw new Error(`Tab never reached "${name}"`);
}

/** The text of a rich-text field without the others' caret labels drawn inside it. */
export function richTextOf(field: Locator): Promise<string> {
  return field.evaluate((element) => {
    const copy = element.cloneNode(true) as HTMLElement;
    for (const caret of copy.querySelectorAll('.remote-caret')) caret.remove();
    return copy.textContent ?? '';
  });
}

/** Opens the app at `url` and signs in through the form, in Swedish; resolves on the welcome heading. */
export async function signIn(page: Page, url: string, user: { email: string; password: string; name: string }): Promise<void> {
  await page.goto(url);
  await page.getByLabel('E-postadress').fill(user.email);
  await page.getByLabel('Lösenord').fill(user.password);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await page.getByRole('heading', { name: `Välkommen, ${user.name}` }).waitFor();
}

/** What a browser test file shares: the built server and one Chromium. */
export interface Running {
  server: Awaited<ReturnType<typeof startServer>>;
  browser: Browser;
}

/** Starts the server (with `env`) and Chromium before the file's tests and stops both after. */
export function useServerAndBrowser(env: Record<string, string> = {}): Running {
  const running = {} as Running;
  beforeAll(async () => {
    running.server = await startServer(env);
    running.browser = await launchBrowser();
  });
  afterAll(async () => {
    await running.browser?.close();
    await running.server?.stop();
  });
  return running;
}
