import { describe, expect, it } from 'vitest'
import {
  decode,
  encode,
  int,
  metricNumber,
  nextSeq,
  parseTopic,
  REBIRTH,
  rebirthRequest,
  topicOf,
  unitOf,
} from './sparkplug.ts'

describe('Sparkplug B helpers', () => {
  it('builds and parses spBv1.0 topics, and ignores what is not Sparkplug', () => {
    expect(topicOf('Plant1', 'DDATA', 'edge-01', 'P-101')).toBe('spBv1.0/Plant1/DDATA/edge-01/P-101')
    expect(parseTopic('spBv1.0/Plant1/DDATA/edge-01/P-101')).toEqual({
      group: 'Plant1',
      type: 'DDATA',
      node: 'edge-01',
      device: 'P-101',
    })
    expect(parseTopic('spBv1.0/Plant1/NBIRTH/edge-01')?.device).toBeUndefined()
    expect(parseTopic('spBv1.0/STATE/host')).toBeNull()
    expect(parseTopic('plant/p101/telemetry')).toBeNull()
    expect(parseTopic('spBv1.0/G/NOPE/n')).toBeNull()
  })

  it('round-trips a payload, turning uint64 seq, alias and timestamps back into numbers', () => {
    const t = 1_700_000_000_123
    const p = decode(
      encode({
        timestamp: t,
        seq: 7,
        metrics: [
          {
            name: 'Bearing_Temperature_C',
            alias: 12,
            type: 'Double',
            value: 61.25,
            timestamp: t,
            properties: { engUnit: { type: 'String', value: '°C' } },
          },
          { alias: 12, type: 'Double', value: null, timestamp: t + 1000 },
          { name: 'Running', type: 'Boolean', value: true },
        ],
      }),
    )
    expect(int(p.seq)).toBe(7)
    expect(int(p.timestamp)).toBe(t)
    const [a, b, c] = p.metrics!
    expect(int(a!.alias)).toBe(12)
    expect(int(a!.timestamp)).toBe(t)
    expect(metricNumber(a!)).toBe(61.25)
    expect(unitOf(a!)).toBe('°C')
    expect(metricNumber(b!)).toBeNaN()
    expect(metricNumber(c!)).toBe(1)
  })

  it('wraps sequence numbers after 255', () => {
    expect(nextSeq(0)).toBe(1)
    expect(nextSeq(254)).toBe(255)
    expect(nextSeq(255)).toBe(0)
  })

  it('asks for a rebirth with the Node Control/Rebirth metric set', () => {
    const m = decode(rebirthRequest()).metrics![0]!
    expect(m.name).toBe(REBIRTH)
    expect(m.value).toBe(true)
  })
})
