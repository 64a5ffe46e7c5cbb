// Screens for test/bench/fanout.ts, in a process of their own so the server's
// CPU is the server's: started by fork(), holds `sockets` lean socket.io
// clients (the v4 wire protocol over a bare WebSocket, so that a thousand
// screens cost this process little more than reading what they are sent),
// each subscribed to `region` (or socket i to `regions[i]`; against the bare
// broadcast server, only connected). Messages from the parent:
//   { cmd: 'open', url, token?, sockets, region?, regions? }  → { opened, refused, ms }
//   { cmd: 'mark' }   forget what was received so far → { marked: true }
//   { cmd: 'report' } since the mark                 → { events, samples } (every 10th socket: events and latencies, ms)
//   { cmd: 'close' }  close the sockets and exit
// An event's latency is its arrival here minus the ms of its stream id (when
// Redis appended it to the log: the same machine's clock).
import WebSocket from 'ws'

export type ClientOrder =
  | { cmd: 'open'; url: string; token?: string; sockets: number; region?: string; regions?: string[] }
  | { cmd: 'mark' } | { cmd: 'report' } | { cmd: 'close' }

const sockets: WebSocket[] = []
let samples: number[] = []
let events = 0
const SAMPLE_CAP = 2_000_000
const SID = '"sid":"'

/** The stream ids of an `events` packet, read without parsing it. */
function latencies(packet: string, now: number) {
  for (let i = packet.indexOf(SID); i >= 0; i = packet.indexOf(SID, i + 1)) {
    const start = i + SID.length
    events++
    if (samples.length < SAMPLE_CAP) samples.push(now - Number(packet.slice(start, packet.indexOf('-', start))))
  }
}

function screen(o: Extract<ClientOrder, { cmd: 'open' }>, region: string | undefined, sampled: boolean): Promise<boolean> {
  const base = o.url.replace(/^http/, 'ws')
  // a screen that is not sampled looks at the first bytes of a packet only; nothing is decoded as UTF-8
  const ws = new WebSocket(`${base}/socket.io/?EIO=4&transport=websocket&channel=live`, { skipUTF8Validation: true, perMessageDeflate: false })
  sockets.push(ws)
  return new Promise((resolve) => {
    ws.on('error', () => resolve(false))
    ws.on('close', () => resolve(false))
    ws.on('message', (data: Buffer) => {
      const head = data.toString('latin1', 0, 16)
      if (head.startsWith('42["events"')) return sampled ? latencies(data.toString('latin1'), Date.now()) : undefined
      if (head === '2') return ws.send('3') // engine.io ping
      if (head.startsWith('0{')) return ws.send(`40${JSON.stringify(o.token ? { token: o.token } : {})}`)
      if (head.startsWith('40{')) return region ? ws.send(`420["subscribe",${JSON.stringify({ region })}]`) : resolve(true)
      if (head.startsWith('44')) return resolve(false) // refused at connect
      if (head.startsWith('430[')) return resolve(head.startsWith('430[{"ok":true,'))
    })
  })
}

async function open(o: Extract<ClientOrder, { cmd: 'open' }>) {
  const t0 = performance.now()
  const ok = await Promise.all(Array.from({ length: o.sockets }, (_, i) => screen(o, o.regions?.[i] ?? o.region, i % 10 === 0)))
  const opened = ok.filter(Boolean).length
  return { opened, refused: o.sockets - opened, ms: Math.round(performance.now() - t0) }
}

process.on('message', (o: ClientOrder) => {
  const answer = (m: unknown) => process.send!(m)
  if (o.cmd === 'open') void open(o).then(answer)
  else if (o.cmd === 'mark') {
    samples = []
    events = 0
    answer({ marked: true })
  } else if (o.cmd === 'report') answer({ events, samples })
  else {
    for (const s of sockets) s.terminate()
    process.exit(0)
  }
})
