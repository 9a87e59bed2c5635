/** The words of a search query (letters and digits in any script), at most 12 — shared by every search adapter. */
export function searchWords(input: string): string[] {
  return input
    .normalize('NFC')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0)
    .slice(0, 12);
}
