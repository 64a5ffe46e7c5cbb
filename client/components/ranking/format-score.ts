/** A composite ranking score (a weighted mean of rates, 0–1) as a percentage, "92.3%"; "—" without data. */
export function formatScore(score: number | null | undefined): string {
  return score == null || !Number.isFinite(score) ? '—' : `${(Math.round(score * 1000) / 10).toFixed(1)}%`
}
