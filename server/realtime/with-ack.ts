/** One result shape for every socket ack, instead of a try/catch per handler. */
import { AppError } from '../domain/errors.ts'
import type { Ack } from '../domain/protocol.ts'

export function withAck<Req, T>(handler: (req: Req) => Promise<T>) {
  return (req: Req, ack: (r: Ack<T>) => void) => {
    if (typeof ack !== 'function') return // a client that wants no answer gets none
    handler(req).then(
      (data) => ack({ ok: true, data }),
      (err: unknown) => {
        if (err instanceof AppError) ack({ ok: false, code: err.code, message: err.message })
        else {
          console.error('socket handler failed:', err)
          ack({ ok: false, code: 'INTERNAL', message: 'internal error; see server log' })
        }
      },
    )
  }
}
