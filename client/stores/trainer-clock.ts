/**
 * The clock of one channel as its walls see it: a socket on the channel,
 * subscribed to the root region (the server pushes `clock` to subscribers
 * only), reading the snapshot's clock, `clock` pushes after any trainer's
 * change and the fresh snapshot (`reset`) after a seek. Events are ignored:
 * the trainer shows the clock, not the stream. Used by the trainer store,
 * which owns it; components never see the socket.
 */
import { onScopeDispose, shallowRef, watch, type Ref } from 'vue'
import { io, type Socket } from 'socket.io-client'
import type { ClientToServer, ClockState, ServerToClient } from '@domain/protocol.ts'
import type { ClockReading } from './region-feed.ts'

const ACK_TIMEOUT_MS = 10_000

export function useTrainerClock(channel: Readonly<Ref<string | null>>, region: Readonly<Ref<string | null>>) {
  const reading = shallowRef<ClockReading | null>(null)
  let socket: Socket<ServerToClient, ClientToServer> | null = null

  const receive = (state: ClockState) => (reading.value = { state, receivedAt: performance.now() })

  function close() {
    socket?.removeAllListeners()
    socket?.disconnect()
    socket = null
    reading.value = null
  }

  function open(id: string, root: string) {
    const s: Socket<ServerToClient, ClientToServer> = io({ query: { channel: id } })
    socket = s
    s.on('connect', async () => {
      const ack = await s.timeout(ACK_TIMEOUT_MS).emitWithAck('subscribe', { region: root }).catch(() => null)
      if (socket === s && ack?.ok) receive(ack.data.clock)
    })
    s.on('clock', receive)
    s.on('reset', (snap) => receive(snap.clock))
  }

  watch([channel, region], ([id, root]) => {
    close()
    if (id && root) open(id, root)
  }, { immediate: true })
  onScopeDispose(close)

  return { reading }
}
