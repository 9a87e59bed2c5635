// Bundles the server (and the workspace packages it imports as TypeScript source) into dist/.
// Registry dependencies stay external and are loaded from node_modules at run time.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const external = Object.keys(pkg.dependencies ?? {}).filter((name) => !name.startsWith('@samverkan/'));

await build({
  entryPoints: {
    index: 'src/index.ts',
    sqliteWriter: 'src/store/sqlite/writerWorker.js',
    sqliteCompactor: 'src/store/sqlite/compactorWorker.js',
    admin: 'src/tools/admin.ts',
    demo: 'src/tools/demo.ts',
  },
  outdir: 'dist',
  bundle: true,
  // Code only some installations need (the MongoDB adapter, spreadsheet import, Word export)
  // is loaded on first use from its own chunk, keeping the server's heap and GC work small.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  external: [...external, 'lib0/*', 'y-protocols/*'],
  logLevel: 'warning',
});
