// The wall's display token: sent as a bearer header once known, refused only on
// a 401 to a request that carried it, accepted again on any later success.
import { expect, it } from 'vitest'
import { adoptDisplayToken, authHeaders, displayToken, noteTokenAnswer, tokenRefused } from '@client/stores/display-token.ts'

it('adds no header and never refuses without a token (the session cookie is used)', () => {
  expect(displayToken()).toBe('') // no ?token= here
  expect(authHeaders()).toEqual({})
  noteTokenAnswer(401)
  expect(tokenRefused.value).toBe(false)
})

it('sends the token as a bearer header, is refused on 401, and recovers on success', () => {
  adoptDisplayToken(' wall_abc ')
  expect(displayToken()).toBe('wall_abc')
  expect(authHeaders()).toEqual({ authorization: 'Bearer wall_abc' })
  noteTokenAnswer(503) // the server is away: not a verdict on the token
  expect(tokenRefused.value).toBe(false)
  noteTokenAnswer(401)
  expect(tokenRefused.value).toBe(true)
  noteTokenAnswer(0)
  noteTokenAnswer(500)
  expect(tokenRefused.value).toBe(true)
  noteTokenAnswer(200)
  expect(tokenRefused.value).toBe(false)
  noteTokenAnswer(401)
  adoptDisplayToken('wall_new') // another link: judged afresh
  expect(tokenRefused.value).toBe(false)
})
