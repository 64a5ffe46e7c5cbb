/**
 * The last pass over every log line before it leaves the process: secrets
 * under any key at any depth, tokens in URLs and Bearer headers, and phone
 * numbers in any string. It works on the serialized JSON line, so what a
 * caller logs (an error message, a URL, a case's attrs) cannot slip past it.
 */

const STR = String.raw`"(?:[^"\\]|\\.)*"`
// a key naming a secret, with a string or an array of strings as its value ("set-cookie" is an array)
const SECRET_PAIR = new RegExp(
  String.raw`"([^"\\]*(?:password|passwd|secret|token|authorization|cookie|api_?key)[^"\\]*)":(${STR}|\[(?:${STR},?)*\])`,
  'gi',
)
const STRING = new RegExp(STR, 'g')
// ?token=… &api_key=… in a URL or a message
const URL_SECRET = /([?&](?:token|access_token|api_?key|key|password)=)[^&#\s"\\]+/gi
const BEARER = /\b(Bearer\s+)[^\s"\\]+/gi
// mainland mobile, optionally +86: keep the first three and last four digits
const MOBILE = /(?<!\d)((?:\+?86[- ]?)?1[3-9]\d)\d{4}(\d{4})(?!\d)/g
// fixed line with its area code: 010-12345678, 0755-1234567
const LANDLINE = /(?<!\d)(0\d{2,3}-)\d{3,4}(\d{4})(?!\d)/g

export const REDACTED = '[Redacted]'

/** Mask phone numbers and URL or Bearer secrets in free text. */
export function redactText(s: string): string {
  return s
    .replace(URL_SECRET, `$1${REDACTED}`)
    .replace(BEARER, `$1${REDACTED}`)
    .replace(MOBILE, '$1****$2')
    .replace(LANDLINE, '$1****$2')
}

/** Redact one serialized JSON log line (numbers outside strings, such as times, are left alone). */
export function redactLine(line: string): string {
  return line.replace(SECRET_PAIR, `"$1":"${REDACTED}"`).replace(STRING, redactText)
}
