/** GeoReport v2 errors: `[{code, description}]` (code = the HTTP status), in JSON or XML like the request's format. */
import type { ErrorRequestHandler, Response } from 'express'
import { AppError } from '../domain/errors.ts'
import { toXml } from './xml.ts'

export class Open311Error extends Error {
  constructor(readonly status: 400 | 403 | 404 | 503, description: string) {
    super(description)
  }
}

export type Format = 'json' | 'xml'

/** The format the URL asks for (`….json` / `….xml`), json when it names neither. */
export const formatOf = (path: string): Format => (/\.xml$/i.test(path) ? 'xml' : 'json')

/** Send a GeoReport document: an array in JSON, `<root><item>…` in XML. */
export function sendDoc(res: Response, format: Format, root: string, item: string, records: object[], status = 200) {
  if (format === 'xml') res.status(status).type('application/xml; charset=utf-8').send(toXml(root, item, records as never))
  else res.status(status).json(records)
}

export const open311Errors: ErrorRequestHandler = (err, req, res, _next) => {
  let status = 500
  let description = 'internal error'
  if (err instanceof Open311Error) [status, description] = [err.status, err.message]
  else if (err instanceof AppError) [status, description] = [err.status === 401 ? 403 : err.status, err.message]
  else if (err?.type === 'entity.too.large') [status, description] = [413, 'request body too large']
  else if (typeof err?.status === 'number' && err.status < 500) [status, description] = [400, 'request body could not be read']
  else console.error('open311:', err)
  sendDoc(res, formatOf(req.path), 'errors', 'error', [{ code: status, description }], status)
}
