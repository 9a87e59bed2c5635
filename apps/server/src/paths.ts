import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | null = null;

/**
 * The server package's folder (`apps/server`), found by walking up from this module — wherever
 * it sits: `src/` when run from source, `dist/` or `dist/chunks/` when bundled.
 */
export function serverPackageDir(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === '@samverkan/server') {
      cached = dir;
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`the @samverkan/server package.json was not found above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}
