/** The speeds the server accepts (× real time, DESIGN §3) and the presets a trainer reaches for. */
export const MIN_SPEED = 0.5
export const MAX_SPEED = 1000
export const SPEED_PRESETS = [1, 10, 60, 100, 1000] as const

export const isValidSpeed = (v: number) => Number.isFinite(v) && v >= MIN_SPEED && v <= MAX_SPEED
