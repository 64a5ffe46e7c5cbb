// The fan-out lag is read from an event's sid (when Redis logged it): a sid of
// a partition's log ("<ms>-<seq>@<partition>", DESIGN §11) counts the same.
import { expect, it } from 'vitest'
import { fanoutLagSeconds, observeFanoutLag } from '../../server/metrics/metrics.ts'

const sumOf = async () => (await fanoutLagSeconds.get()).values.find((v) => v.metricName === 'situation_fanout_lag_seconds_sum' && v.labels.channel === 'replay')?.value ?? 0

it('reads the time of a partition log\'s sid as of a root one', async () => {
  const before = await sumOf()
  observeFanoutLag('drill-x', '1000000-3@650402', 1_002_000)
  observeFanoutLag('drill-x', '1000000-3', 1_003_000)
  expect((await sumOf()) - before).toBeCloseTo(5, 6)
})
