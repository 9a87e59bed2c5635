/** POSTs JSON; on failure returns the server's error message (already Swedish / English). */
export async function postJson(path: string, body: unknown): Promise<{ ok: boolean; message: string }> {
  const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (response.ok) return { ok: true, message: '' };
  const payload = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
  return { ok: false, message: payload?.error?.message ?? String(response.status) };
}
