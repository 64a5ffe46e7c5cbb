/**
 * Who may open a socket, checked once at the handshake: a bounded number of
 * connections per address, a channel this instance serves and, when sessions
 * are on, a session or display token whose scope allows that channel. A
 * refusal carries the error's code for the client to show.
 */
import type { Server } from 'socket.io'
import { AppError, UnauthorizedError } from '../domain/errors.ts'
import type { ClientToServer, ServerToClient } from '../domain/protocol.ts'
import { ForbiddenError, tokenOf } from '../auth/authenticate.ts'
import type { Sessions } from '../auth/sessions.ts'
import type { Channels } from '../channels/channels.ts'
import { clientAddress, type ConnectionLimits } from './connection-limits.ts'

type Middleware = Parameters<Server<ClientToServer, ServerToClient>['use']>[0]

export function socketAuth(channels: Channels, sessions: Sessions | undefined, connections: ConnectionLimits): Middleware {
  return async (socket, next) => {
    let release: (() => void) | undefined
    try {
      release = connections.admit(clientAddress(socket.handshake.address, socket.handshake.headers))
      socket.conn.once('close', release) // also when the handshake fails or the client leaves before `connection`
      const channel = String(socket.handshake.query.channel ?? 'live')
      channels.get(channel)
      if (sessions) {
        const { headers, query, auth } = socket.handshake
        const token = tokenOf(headers, query, auth)
        const principal = await sessions.resolve(token)
        if (!principal) throw new UnauthorizedError('log in first: connect with auth: { token }')
        if (principal.channel && principal.channel !== channel) throw new ForbiddenError(`this display token shows channel ${principal.channel} only`)
        socket.data.principal = principal
        socket.data.token = token
      }
      next()
    } catch (err) {
      release?.()
      const refusal = err as Error & { data?: unknown }
      if (err instanceof AppError) refusal.data = { code: err.code }
      next(refusal)
    }
  }
}
