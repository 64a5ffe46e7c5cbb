/**
 * The name of a region's socket room on a channel (`live|6504`): the one
 * place it is spelt, for socket.io rooms, the subscription index and the
 * pushers' last-sent values alike, and the snapshot reads a room's sockets share.
 */
const SEP = '|'
const LIVE = '#live'

export const roomKey = (channel: string, region: string): string => `${channel}${SEP}${region}`

/** The channel and region a room key names. */
export function roomParts(key: string): { channel: string; region: string } {
  const at = key.indexOf(SEP)
  return { channel: key.slice(0, at), region: key.slice(at + 1) }
}

/** Whether a key names a room of `channel`. */
export const isRoomOf = (key: string, channel: string): boolean => key.startsWith(`${channel}${SEP}`)

/** The sockets of a room that are caught up: they get its events batch, encoded once. */
export const liveRoomKey = (channel: string, region: string): string => roomKey(channel, region) + LIVE

/** Whether a socket.io room is a region's room (every socket also sits in a room of its own id, and in live rooms). */
export const isRegionRoom = (name: string): boolean => name.includes(SEP) && !name.endsWith(LIVE)
