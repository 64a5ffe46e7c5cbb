/**
 * The trainer's drill sessions: the scenarios to start from, every replay
 * channel (refreshed every 2 s for progress), the selected one with its
 * clock from a socket on it, and the actions on them. A failed action leaves
 * its reason in `problem` (an ApiError: the server's code and message).
 */
import { defineStore } from 'pinia'
import { computed, reactive, ref, shallowRef } from 'vue'
import { DEFAULT_ZONE } from '@domain/clock.ts'
import { useRegions } from './regions.ts'
import { ApiError } from '@client/api/request-json.ts'
import type { ChannelChange, InjectResult } from '@domain/api.ts'
import type { ChannelSummary, ScenarioInfo } from '@domain/drill-channels.ts'
import { trainerApi, type RecordingStart, type ScenarioStart } from '@client/api/trainer-api.ts'
import { useTrainerClock } from './trainer-clock.ts'
import type { ClockReading } from './region-feed.ts'
import { useSessionStore } from './session.ts'

const REFRESH_MS = 2_000

export type TrainerAction = 'load' | 'create' | 'pause' | 'speed' | 'seek' | 'inject' | 'delete' | 'link'
export interface TrainerProblem { action: TrainerAction; error: ApiError }
export type StartRequest = ScenarioStart | RecordingStart

const asApiError = (err: unknown) => (err instanceof ApiError ? err : new ApiError(0, 'INTERNAL', String(err)))

export const useTrainerStore = defineStore('trainer', () => {
  const scenarios = shallowRef<readonly ScenarioInfo[] | null>(null)
  const channels = shallowRef<readonly ChannelSummary[]>([])
  /** Each channel's clock as its summary told it, ticking from when the summary arrived. */
  const readings = shallowRef<ReadonlyMap<string, ClockReading>>(new Map())
  const selectedId = ref<string | null>(null)
  /** Actions under way (a seek may take seconds while the channel is rebuilt). */
  const busy = reactive(new Set<TrainerAction>())
  const problem = shallowRef<TrainerProblem | null>(null)

  /** The page is open: only then the list is refreshed and the selected channel's socket is open. */
  const active = ref(false)
  const { root } = useRegions()
  const { reading: pushed } = useTrainerClock(
    computed(() => (active.value ? selectedId.value : null)),
    computed(() => root.value?.code ?? null),
  )
  const zone = computed(() => pushed.value?.state.zone ?? DEFAULT_ZONE)
  const selected = computed(() => channels.value.find((c) => c.id === selectedId.value) ?? null)
  /** The selected channel's clock: the socket's when it has spoken, else the last summary's. */
  const selectedClock = computed(() => pushed.value ?? (selectedId.value ? (readings.value.get(selectedId.value) ?? null) : null))

  let timer: ReturnType<typeof setInterval> | undefined

  const readingOf = (c: ChannelSummary, receivedAt: number): ClockReading =>
    ({ state: { now: c.now, speed: c.speed, paused: c.paused || c.seeking, zone: zone.value }, receivedAt })

  function receiveList(list: readonly ChannelSummary[]) {
    const at = performance.now()
    channels.value = list
    readings.value = new Map(list.map((c) => [c.id, readingOf(c, at)]))
    keepSelection()
  }

  /** A deleted selection moves to the newest session. */
  function keepSelection() {
    const list = channels.value
    if (!list.some((c) => c.id === selectedId.value)) selectedId.value = list[list.length - 1]?.id ?? null
  }

  function receiveOne(c: ChannelSummary) {
    const others = channels.value.filter((x) => x.id !== c.id)
    channels.value = [...others, c].sort((a, b) => a.created - b.created)
    readings.value = new Map(readings.value).set(c.id, readingOf(c, performance.now()))
  }

  /** Run an action; its failure is kept for the page to show, and answers null. */
  async function act<T>(action: TrainerAction, run: () => Promise<T>): Promise<T | null> {
    busy.add(action)
    try {
      const result = await run()
      if (problem.value?.action === action) problem.value = null
      return result
    } catch (err) {
      problem.value = { action, error: asApiError(err) }
      return null
    } finally {
      busy.delete(action)
    }
  }

  // the scenarios once (asked again until they came), the sessions every time
  const refresh = () => act('load', async () => {
    scenarios.value ??= await trainerApi.scenarios()
    receiveList(await trainerApi.channels())
  })

  function start() {
    stop()
    active.value = true
    problem.value = null
    void refresh()
    timer = setInterval(() => void refresh(), REFRESH_MS)
  }

  function stop() {
    active.value = false
    clearInterval(timer)
  }

  async function create(req: StartRequest) {
    const c = await act('create', () => ('scenario' in req ? trainerApi.startScenario(req) : trainerApi.startRecording(req)))
    if (c) {
      receiveOne(c)
      selectedId.value = c.id
    }
    return c
  }

  async function change(id: string, action: 'pause' | 'speed' | 'seek', c: ChannelChange) {
    const next = await act(action, () => trainerApi.change(id, c))
    if (next) receiveOne(next)
    return next
  }

  const inject = (id: string, events: unknown[]): Promise<InjectResult | null> => act('inject', () => trainerApi.inject(id, events))

  async function remove(id: string) {
    const done = await act('delete', () => trainerApi.remove(id))
    if (done) {
      channels.value = channels.value.filter((c) => c.id !== id)
      keepSelection()
    }
    return done
  }

  /**
   * The drill-bound display token of a channel's wall link, made once per
   * channel and kept for this tab (sessionStorage), so a copied link opens on
   * a wall without a login and re-rendering does not mint new tokens.
   */
  const wallTokens = shallowRef<ReadonlyMap<string, string>>(new Map())
  const asking = new Map<string, Promise<string | null>>()
  const TOKEN_KEY = (id: string) => `sr.drillWallToken.${id}`

  function wallToken(id: string): Promise<string | null> {
    const known = wallTokens.value.get(id) ?? sessionStorage.getItem(TOKEN_KEY(id))
    if (known) {
      if (!wallTokens.value.has(id)) wallTokens.value = new Map(wallTokens.value).set(id, known)
      return Promise.resolve(known)
    }
    let pending = asking.get(id)
    if (!pending) {
      const region = useSessionStore().user?.region
      pending = act('link', () => trainerApi.displayToken({ name: `演练大屏 ${id}`, channel: id, ...(region && { region }) })).then((made) => {
        asking.delete(id)
        if (!made) return null
        sessionStorage.setItem(TOKEN_KEY(id), made.token)
        wallTokens.value = new Map(wallTokens.value).set(id, made.token)
        return made.token
      })
      asking.set(id, pending)
    }
    return pending
  }

  const select = (id: string) => (selectedId.value = id)
  const dismissProblem = () => (problem.value = null)

  return {
    scenarios, channels, readings, selectedId, selected, selectedClock, zone, busy, problem,
    wallTokens, start, stop, create, change, inject, remove, select, dismissProblem, wallToken,
  }
})
