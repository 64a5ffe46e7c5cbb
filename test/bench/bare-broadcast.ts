// The ceiling of test/bench/fanout.ts: a bare socket.io server on port 0 that
// puts every socket in one room (or, when it subscribes to a region, in that
// region's room) and, when told, broadcasts `events` batches shaped like the
// real ones (`perBatch` items every 100 ms) for `seconds`: to the one room, or,
// given `chains` (the region chains of event places, deepest first), each item
// to the room of every region in its place's chain, one batch per room.
// Answers with its own CPU time and how many events it handed to sockets.
// Started by fork(); messages: { cmd: 'broadcast', seconds, perBatch, chains? } → { cpuMs, deliveries, batches }.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Server } from 'socket.io'

const http = createServer()
const io = new Server(http, { serveClient: false })
const ALL = 'room'
io.on('connection', (socket) => {
  void socket.join(ALL)
  socket.on('subscribe', (req: { region: string }, ack: (r: unknown) => void) => {
    void socket.leave(ALL)
    void socket.join(req.region)
    ack({ ok: true, snapshot: null })
  })
})
http.listen(0, () => process.send!({ url: `http://localhost:${(http.address() as AddressInfo).port}` }))

type Order = { cmd: 'broadcast'; seconds: number; perBatch: number; chains?: string[][] } | { cmd: 'close' }
interface Item { sid: string; id: string; feed: string; type: string; subject: string; at: number; region: string; applied: boolean; category: string; location: [number, number] }

let seq = 0
const item = (region: string): Item => ({
  sid: `${Date.now()}-${seq++}`, id: `bare-${seq}`, feed: 'case', type: 'reported', subject: `C${seq}`, at: Date.now(),
  region, applied: true, category: 'city.sanitation', location: [89.18, 42.95],
})

process.on('message', (o: Order) => {
  if (o.cmd === 'close') return void io.close(() => process.exit(0))
  const cpu = process.cpuUsage()
  let deliveries = 0
  let batches = 0
  const emit = (room: string, items: Item[]) => {
    io.to(room).emit('events', { cursor: items.at(-1)!.sid, items })
    deliveries += items.length * (io.sockets.adapter.rooms.get(room)?.size ?? 0)
    batches++
  }
  const timer = setInterval(() => {
    const chains = o.chains
    if (!chains) return emit(ALL, Array.from({ length: o.perBatch }, () => item('650402001001001')))
    const byRoom = new Map<string, Item[]>()
    for (let i = 0; i < o.perBatch; i++) {
      const chain = chains[seq % chains.length]!
      const it = item(chain[0]!)
      for (const code of chain) if (io.sockets.adapter.rooms.has(code)) byRoom.set(code, [...(byRoom.get(code) ?? []), it])
    }
    for (const [room, items] of byRoom) emit(room, items)
  }, 100)
  setTimeout(() => {
    clearInterval(timer)
    const used = process.cpuUsage(cpu)
    process.send!({ cpuMs: (used.user + used.system) / 1000, deliveries, batches })
  }, o.seconds * 1000)
})
