// What reaches the log leaves out tokens, passwords and phone numbers,
// wherever they sit in what was logged, and keeps the rest readable.
import { expect, it } from 'vitest'
import { createLogger } from '../../server/ops/logger.ts'
import { redactText } from '../../server/ops/redact-line.ts'

function capture() {
  const lines: string[] = []
  const log = createLogger('info', () => ({ write: (s: string) => lines.push(s) }))
  return { log, lines }
}

const SECRETS = ['ingest-key-0123456789', 'sr_session=cookie-value-42', 'hunter2-password', 'display-token-abc', 'walltoken987', 'api-key-xyz', '13812345678', '13912345678', '8613700001234', '12345678', 'nested-secret-1']

it('removes credentials and phone numbers from every part of a line', () => {
  const { log, lines } = capture()
  log.info({
    req: { method: 'GET', url: '/wall?token=walltoken987&lang=en', headers: { authorization: 'Bearer ingest-key-0123456789', cookie: 'sr_session=cookie-value-42', 'user-agent': 'probe/1' } },
    user: { name: '张三', password: 'hunter2-password', phone: '13812345678', displayToken: 'display-token-abc' },
    deep: { a: { b: { api_key: 'api-key-xyz', list: ['call +8613700001234 back'] } } },
    form: { contact: '0991-12345678' },
    secrets: { clientSecret: 'nested-secret-1' },
    subject: 'C-20261129-0001', count: 3,
  }, 'citizen 13912345678 reported a leak')
  log.error(new Error('POST failed with Authorization: Bearer ingest-key-0123456789'))

  expect(lines).toHaveLength(2)
  const text = lines.join('')
  for (const secret of SECRETS) expect(text).not.toContain(secret)

  const [info, error] = lines.map((l) => JSON.parse(l))
  expect(info.msg).toBe('citizen 139****5678 reported a leak')
  expect(info.req.headers.authorization).toBe('[Redacted]')
  expect(info.req.headers.cookie).toBe('[Redacted]')
  expect(info.req.headers['user-agent']).toBe('probe/1')
  expect(info.req.url).toBe('/wall?token=[Redacted]&lang=en')
  expect(info.user).toEqual({ name: '张三', password: '[Redacted]', phone: '138****5678', displayToken: '[Redacted]' })
  expect(info.deep.a.b).toEqual({ api_key: '[Redacted]', list: ['call +86137****1234 back'] })
  expect(info.form.contact).toBe('0991-****5678')
  // what is not a secret is left as it was, times included
  expect(info.subject).toBe('C-20261129-0001')
  expect(info.count).toBe(3)
  expect(Number.isNaN(Date.parse(info.time))).toBe(false)
  expect(error.level).toBe(50)
  expect(error.err.message).toBe('POST failed with Authorization: Bearer [Redacted]')
})

it('leaves numbers that only look long alone: stream ids, epoch milliseconds, region codes', () => {
  expect(redactText('cursor 1764424404000-0 at 1764424404000 in 650402001001001')).toBe('cursor 1764424404000-0 at 1764424404000 in 650402001001001')
  expect(redactText('dates 2026-11-29 and 2026-01-05')).toBe('dates 2026-11-29 and 2026-01-05')
  expect(redactText('tel:15800001111')).toBe('tel:158****1111')
})
