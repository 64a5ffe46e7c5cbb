/**
 * A JSON request to our HTTP API, with the server's
 * `{ error: { code, message } }` turned into an ApiError the UI maps to text.
 * The session travels in the http-only cookie; nothing here holds a token.
 */

/** A refused or failed request: `code` is the server's ErrorCode, or CONNECT when it was never answered. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Seconds from Retry-After (429). */
    readonly retryAfterSec: number | null = null,
  ) {
    super(message)
  }
}

export async function requestJson<T>(url: string, init: RequestInit = {}): Promise<T> {
  let res: Response
  try {
    res = await fetch(url, {
      credentials: 'same-origin',
      ...init,
      headers: { accept: 'application/json', ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers },
    })
  } catch (err) {
    throw new ApiError(0, 'CONNECT', err instanceof Error ? err.message : String(err))
  }
  const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null
  if (!res.ok) {
    const retry = Number(res.headers.get('retry-after'))
    throw new ApiError(res.status, body?.error?.code ?? `HTTP_${res.status}`, body?.error?.message ?? res.statusText, retry > 0 ? retry : null)
  }
  return body as T
}
