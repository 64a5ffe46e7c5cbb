// The load of test/bench/flood.ts, in a process of its own so the server's
// figures are the server's: started by fork(), told what to do by one IPC
// message, answers with one message of counts, then exits.
//   { mode: 'subscribe', url, token, sockets, per, regions }  every socket sends `per` subscribes at once
//   { mode: 'connect',   url, token, sockets, region }        `sockets` connect at once, each subscribes to `region`
import { io, type Socket } from 'socket.io-client'
import type { Ack, ClientToServer, ServerToClient, Snapshot } from '../../server/domain/protocol.ts'

export type FloodOrder =
  | { mode: 'subscribe'; url: string; token: string; sockets: number; per: number; regions: string[]; ackTimeoutMs: number }
  | { mode: 'connect'; url: string; token: string; sockets: number; region: string; ackTimeoutMs: number }

export interface FloodReport { connected: number; refused: Record<string, number>; acks: Record<string, number>; lastWins: number; ms: number }

type WallSocket = Socket<ServerToClient, ClientToServer>

function open(o: FloodOrder): Promise<{ socket: WallSocket; refused?: string }> {
  const socket: WallSocket = io(o.url, { transports: ['websocket'], auth: { token: o.token }, reconnection: false, forceNew: true })
  return new Promise((resolve) => {
    socket.once('connect', () => resolve({ socket }))
    socket.once('connect_error', (err: Error & { data?: { code?: string } }) => resolve({ socket, refused: err.data?.code ?? 'CONNECT' }))
  })
}

async function subscribe(socket: WallSocket, region: string, timeoutMs: number): Promise<Ack<Snapshot> | 'TIMEOUT'> {
  try {
    return await socket.timeout(timeoutMs).emitWithAck('subscribe', { region })
  } catch {
    return 'TIMEOUT'
  }
}

async function run(o: FloodOrder): Promise<FloodReport> {
  const t0 = performance.now()
  const report: FloodReport = { connected: 0, refused: {}, acks: {}, lastWins: 0, ms: 0 }
  const count = (into: Record<string, number>, key: string) => (into[key] = (into[key] ?? 0) + 1)
  const opened = await Promise.all(Array.from({ length: o.sockets }, () => open(o)))
  for (const r of opened) if (r.refused) count(report.refused, r.refused)
  const live = opened.filter((r) => !r.refused).map((r) => r.socket)
  report.connected = live.length
  await Promise.all(live.map(async (socket, s) => {
    const plan = o.mode === 'subscribe' ? Array.from({ length: o.per }, (_, i) => o.regions[(s + i * 7) % o.regions.length]!) : [o.region]
    const acks = await Promise.all(plan.map((region) => subscribe(socket, region, o.ackTimeoutMs)))
    acks.forEach((a) => count(report.acks, a === 'TIMEOUT' ? 'TIMEOUT' : a.ok ? 'ok' : a.code))
    const last = acks.findLastIndex((a) => a !== 'TIMEOUT' && (a.ok || a.code !== 'RATE_LIMITED'))
    const won = acks[last]
    if (won && won !== 'TIMEOUT' && won.ok && won.data.region === plan[last]) report.lastWins++
  }))
  report.ms = Math.round(performance.now() - t0)
  for (const r of opened) r.socket.close()
  return report
}

process.once('message', (order: FloodOrder) => {
  run(order).then(
    (report) => process.send!(report, () => process.exit(0)),
    (err: unknown) => { console.error(err); process.exit(1) },
  )
})
