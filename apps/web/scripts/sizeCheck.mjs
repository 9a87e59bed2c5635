// Fails when the JavaScript a browser loads before the sign-in and home pages can render (the
// entry chunk and everything it imports statically; lazy routes excluded) exceeds the limit.
// Reads Vite's manifest of the last `vite build`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const LIMIT_KB = 350;
const dist = fileURLToPath(new URL('../dist/', import.meta.url));
let manifest;
try {
  manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8'));
} catch {
  console.error('size check: dist/.vite/manifest.json is missing; run `npm run build -w @samverkan/web` first');
  process.exit(2);
}
const entry = manifest['index.html'];
if (!entry) {
  console.error('size check: no index.html entry in the manifest');
  process.exit(2);
}
const files = new Set();
const visit = (key) => {
  const chunk = manifest[key];
  if (!chunk || files.has(chunk.file)) return;
  files.add(chunk.file);
  for (const imported of chunk.imports ?? []) visit(imported);
};
visit('index.html');
let total = 0;
for (const file of files) {
  const gzipped = gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
  total += gzipped;
  console.log(`  ${file}: ${(gzipped / 1024).toFixed(1)} KB gzip`);
}
const lazy = Object.values(manifest).filter((chunk) => chunk.isDynamicEntry).map((chunk) => chunk.file);
console.log(`initial JavaScript of the sign-in and home routes: ${(total / 1024).toFixed(1)} KB gzip (limit ${LIMIT_KB} KB); lazy-loaded: ${lazy.join(', ')}`);
if (total > LIMIT_KB * 1024) {
  console.error(`size check FAILED: ${(total / 1024).toFixed(1)} KB > ${LIMIT_KB} KB`);
  process.exit(1);
}
