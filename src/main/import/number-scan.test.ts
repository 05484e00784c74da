import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { toBytes } from './cell-kind.ts'
import { isMissingToken, numberOf, NumberScanner } from './number-scan.ts'

const dot = new NumberScanner('.')
const comma = new NumberScanner(',')
const read = (s: string, scan = dot) => numberOf(scan, toBytes(s), 0, s.length)

describe('numbers read straight from bytes', () => {
  it('give exactly the double Number() gives for any finite double written by JavaScript', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const s = String(x)
        expect(Object.is(read(s), Number(s))).toBe(true)
      }),
      { numRuns: 5000 },
    )
  })

  it('give exactly what Number() gives for sensor-style decimals and exponents', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e9, max: 1e9 }),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: -30, max: 30 }),
        fc.boolean(),
        (m, places, e, withExp) => {
          const s = `${(m / 10 ** places).toFixed(places)}${withExp ? `e${e}` : ''}`
          expect(Object.is(read(s), Number(s))).toBe(true)
        },
      ),
      { numRuns: 5000 },
    )
  })

  it('read a decimal comma when told to, and keep the comma a separator otherwise', () => {
    expect(read('-12,75', comma)).toBe(-12.75)
    expect(read('3,5e2', comma)).toBe(350)
    const b = toBytes('1,5')
    expect(dot.at(b, 0)).toBe(1)
    expect(dot.end).toBe(1)
  })

  it('read the forms loggers write: leading zeros, a bare point, a plus sign, spaces around', () => {
    expect(read('007.50')).toBe(7.5)
    expect(read('.5')).toBe(0.5)
    expect(read('5.')).toBe(5)
    expect(read('+2')).toBe(2)
    expect(read('  42  ')).toBe(42)
    expect(read('1E3')).toBe(1000)
    expect(read('0.12345678901234567890')).toBe(Number('0.12345678901234567890'))
  })

  it('refuse text, half numbers and two numbers in one field', () => {
    for (const s of ['abc', '12abc', '1.2.3', '-', '.', '1 2', 'e5', '0x10', 'Infinity', '1e'])
      expect(read(s)).toBeNaN()
  })

  it('tell a missing value (empty, NaN, NA, null) from a bad one', () => {
    for (const s of ['', '  ', 'NaN', 'nan', 'NA', 'null', 'None', '-', '#N/A'])
      expect(isMissingToken(toBytes(s), 0, s.length)).toBe(true)
    for (const s of ['abc', 'error', '12x']) expect(isMissingToken(toBytes(s), 0, s.length)).toBe(false)
  })
})
