import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Makes a SQLite store's journal unable to start a new segment, as a full or failing disk
 * would: its folder is moved aside and a plain file takes its name. With
 * `journalSegmentBytes: 1` every commit starts a segment, so every commit fails (a real error
 * from the file system) until the returned function puts the folder back.
 */
export function blockJournal(dataDir: string): () => void {
  const journal = join(dataDir, 'journal');
  renameSync(journal, `${journal}.away`);
  writeFileSync(journal, 'inte en mapp');
  let undone = false;
  return () => {
    if (undone) return;
    undone = true;
    rmSync(journal);
    renameSync(`${journal}.away`, journal);
  };
}
