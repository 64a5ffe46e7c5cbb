// The ceiling of test/bench/fanout.ts: a bare socket.io server on port 0 that
// puts every socket in one room and, when told, broadcasts `events` batches
// shaped like the real ones (`perBatch` items every 100 ms) for `seconds`;
// answers with its own CPU time and how many events it handed to sockets.
// Started by fork(); messages: { cmd: 'broadcast', seconds, perBatch } → { cpuMs, deliveries, batches }.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Server } from 'socket.io'

const http = createServer()
const io = new Server(http, { serveClient: false })
io.on('connection', (socket) => void socket.join('room'))
http.listen(0, () => process.send!({ url: `http://localhost:${(http.address() as AddressInfo).port}` }))

let seq = 0
const item = () => ({
  sid: `${Date.now()}-${seq++}`, id: `bare-${seq}`, feed: 'case', type: 'reported', subject: `C${seq}`, at: Date.now(),
  region: '650402001001001', applied: true, category: 'city.sanitation', location: [89.18, 42.95],
})

process.on('message', (o: { cmd: 'broadcast'; seconds: number; perBatch: number } | { cmd: 'close' }) => {
  if (o.cmd === 'close') return void io.close(() => process.exit(0))
  const cpu = process.cpuUsage()
  let deliveries = 0
  let batches = 0
  const timer = setInterval(() => {
    const items = Array.from({ length: o.perBatch }, item)
    io.to('room').emit('events', { cursor: items.at(-1)!.sid, items })
    deliveries += items.length * (io.sockets.adapter.rooms.get('room')?.size ?? 0)
    batches++
  }, 100)
  setTimeout(() => {
    clearInterval(timer)
    const used = process.cpuUsage(cpu)
    process.send!({ cpuMs: (used.user + used.system) / 1000, deliveries, batches })
  }, o.seconds * 1000)
})
