/**
 * Snapshot reads are the costliest thing a client can ask for. At most
 * `concurrency` build at once; the rest wait in a bounded queue. Callers asking
 * for the same key (channel, region, no `since`) while a read is waiting or
 * running share it instead of starting their own, so a thousand walls on the
 * city cost one read. A waiter that is aborted before its read starts leaves
 * the queue, and a read nobody waits for any more is never built.
 */
import { AppError } from '../domain/errors.ts'

export interface SnapshotQueueLimits {
  /** SNAPSHOT_CONCURRENCY: reads building at once. */
  concurrency: number
  /** SNAPSHOT_QUEUE_MAX: distinct reads waiting for a slot; beyond it a caller is refused with OVERLOADED. */
  maxWaiting: number
}

export class OverloadedError extends AppError {
  readonly code = 'OVERLOADED'
  override readonly status = 503
}

export interface QueueOptions {
  /** Aborting leaves the queue if the read has not started; its reason is the rejection. */
  signal?: AbortSignal
  /** Share a read that is already running (false: only one still waiting, so it starts after this call). */
  joinRunning?: boolean
}

interface Job<T> {
  key: string | undefined
  read: () => Promise<T>
  started: boolean
  waiters: number
  result: Promise<T>
  settle: { resolve: (v: T) => void; reject: (e: unknown) => void }
}

export class SnapshotQueue<T> {
  private building = 0
  private readonly waiting: Job<T>[] = []
  private readonly byKey = new Map<string, Job<T>>()

  constructor(private readonly limits: SnapshotQueueLimits) {}

  /** Read with `read` within the limits, or share a read of the same key. */
  run(key: string | undefined, read: () => Promise<T>, o: QueueOptions = {}): Promise<T> {
    if (o.signal?.aborted) return Promise.reject(o.signal.reason)
    let job = key === undefined ? undefined : this.byKey.get(key)
    if (job?.started && !o.joinRunning) job = undefined
    if (!job) {
      if (this.waiting.length >= this.limits.maxWaiting) {
        return Promise.reject(new OverloadedError(`server busy: ${this.waiting.length} snapshot reads are waiting; retry in a few seconds`))
      }
      job = this.enqueue(key, read)
    }
    return this.wait(job, o.signal)
  }

  /** Reads building now and waiting (for metrics and tests). */
  get load(): { building: number; waiting: number } {
    return { building: this.building, waiting: this.waiting.length }
  }

  private enqueue(key: string | undefined, read: () => Promise<T>): Job<T> {
    let settle!: Job<T>['settle']
    const result = new Promise<T>((resolve, reject) => (settle = { resolve, reject }))
    result.catch(() => {}) // a job whose waiters all left still settles; nobody is listening then
    const job: Job<T> = { key, read, started: false, waiters: 0, result, settle }
    if (key !== undefined) this.byKey.set(key, job) // a running read of the key we did not join stays running, unlisted
    this.waiting.push(job)
    this.pump()
    return job
  }

  private wait(job: Job<T>, signal: AbortSignal | undefined): Promise<T> {
    job.waiters++
    return new Promise<T>((resolve, reject) => {
      let done = false
      const leave = () => {
        if (done || job.started) return // a started read cannot be taken back: the caller waits for it
        done = true
        job.waiters--
        if (job.waiters === 0) this.drop(job)
        reject(signal!.reason)
      }
      signal?.addEventListener('abort', leave, { once: true })
      job.result.then(
        (v) => { if (!done) { done = true; signal?.removeEventListener('abort', leave); resolve(v) } },
        (e: unknown) => { if (!done) { done = true; signal?.removeEventListener('abort', leave); reject(e) } },
      )
    })
  }

  private drop(job: Job<T>): void {
    const i = this.waiting.indexOf(job)
    if (i >= 0) this.waiting.splice(i, 1)
    if (job.key !== undefined && this.byKey.get(job.key) === job) this.byKey.delete(job.key)
  }

  private pump(): void {
    while (this.building < this.limits.concurrency && this.waiting.length > 0) {
      const job = this.waiting.shift()!
      job.started = true
      this.building++
      let running: Promise<T>
      try {
        running = job.read()
      } catch (err) {
        running = Promise.reject(err)
      }
      running.then(job.settle.resolve, job.settle.reject).finally(() => {
        this.building--
        if (job.key !== undefined && this.byKey.get(job.key) === job) this.byKey.delete(job.key)
        this.pump()
      })
    }
  }
}
