import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { detectFile, locateData } from './detect.ts'
import { CMAPSS, NAB, scratch, SKAB } from './test-files.ts'

let tmp: ReturnType<typeof scratch>
beforeEach(() => {
  tmp = scratch()
})
afterEach(() => tmp.remove())

const types = (d: Awaited<ReturnType<typeof detectFile>>) => d.columns.map((c) => c.type)

describe('detection on the real datasets', () => {
  it('reads the SKAB pump testbed as semicolon-separated with a header and an ISO datetime', async () => {
    const d = await detectFile(SKAB)
    expect(d.format).toEqual({ encoding: 'utf-8', delimiter: ';', decimal: '.', headerRows: 1 })
    expect(d.headers[0]).toBe('datetime')
    expect(d.headers).toContain('Volume Flow RateRMS')
    expect(types(d)).toEqual(['datetime', ...Array(8).fill('number')])
    expect(d.guess.time).toEqual({ kind: 'datetime', column: 0, order: 'ymd', utcOffsetMin: 0 })
    expect(d.start.line).toBe(2)
  })

  it('reads C-MAPSS as whitespace-separated numbers without a header or a time column', async () => {
    const d = await detectFile(CMAPSS)
    expect(d.format).toMatchObject({ delimiter: 'whitespace', headerRows: 0 })
    expect(d.headers).toHaveLength(26)
    expect(types(d).every((t) => t === 'number')).toBe(true)
    expect(d.guess.time.kind).toBe('none')
    expect(d.guess.notes.join()).toMatch(/no time column/)
  })

  it('reads the NAB machine temperature as timestamp,value', async () => {
    const d = await detectFile(NAB)
    expect(d.format).toMatchObject({ delimiter: ',', headerRows: 1 })
    expect(d.headers).toEqual(['timestamp', 'value'])
    expect(types(d)).toEqual(['datetime', 'number'])
  })
})

describe('detection on generated files', () => {
  it('finds a decimal comma in a semicolon file, where commas would split more fields', async () => {
    const f = tmp.file(
      'eu.csv',
      'Zeit;Druck;Temp\n01.02.2024 10:00:00;1,25;20,5\n01.02.2024 10:00:01;1,26;20,25\n13.02.2024 10:00:02;1,5;21\n',
    )
    const d = await detectFile(f)
    expect(d.format).toMatchObject({ delimiter: ';', decimal: ',', headerRows: 1 })
    expect(d.guess.time).toMatchObject({ kind: 'datetime', order: 'dmy' })
    expect(d.columns[1]).toMatchObject({ type: 'number', min: 1.25, max: 1.5 })
  })

  it('reads tabs, a UTF-8 byte-order mark and CRLF line ends', async () => {
    const f = tmp.file(
      'bom.tsv',
      '\uFEFFtime\tflow\r\n2024-01-01T00:00:00Z\t1.5\r\n2024-01-01T00:00:01Z\t1.6\r\n',
    )
    const d = await detectFile(f)
    expect(d.format).toEqual({ encoding: 'utf-8', delimiter: '\t', decimal: '.', headerRows: 1 })
    expect(d.headers).toEqual(['time', 'flow'])
    expect(d.start.offset).toBe(3 + 'time\tflow\r\n'.length)
  })

  it('decodes UTF-16 with a byte-order mark and sends it to the library parser', async () => {
    const text = '\uFEFFzeit,wert\n2024-01-01 00:00:00,1.5\n2024-01-01 00:00:01,2.5\n'
    const f = tmp.file('u16.csv', Buffer.from(text, 'utf16le'))
    const d = await detectFile(f)
    expect(d.format.encoding).toBe('utf-16le')
    expect(d.headers).toEqual(['zeit', 'wert'])
    expect(d.slowReason).toMatch(/utf-16/)
  })

  it('reads a Latin-1 header', async () => {
    const f = tmp.file(
      'l1.csv',
      Buffer.from('time,Temp \xb0C\n2024-01-01 00:00:00,20\n2024-01-01 00:00:01,21\n', 'latin1'),
    )
    const d = await detectFile(f)
    expect(d.format.encoding).toBe('latin1')
    expect(d.headers[1]).toBe('Temp °C')
  })

  it('takes a units row under the names as a second header row', async () => {
    const f = tmp.file(
      'units.csv',
      'time,flow,temp\n,L/min,C\n2024-01-01 00:00:00,1,2\n2024-01-01 00:00:01,1,2\n',
    )
    const d = await detectFile(f)
    expect(d.format.headerRows).toBe(2)
    expect(d.units).toEqual(['', 'L/min', 'C'])
  })

  it('recognises epoch seconds and milliseconds in a time column', async () => {
    const s = await detectFile(tmp.file('s.csv', 'ts,v\n1704067200,1\n1704067201,2\n1704067202,3\n'))
    expect(s.guess.time).toEqual({ kind: 'epoch', column: 0, unit: 's' })
    const ms = await detectFile(tmp.file('ms.csv', 'epoch,v\n1704067200000,1\n1704067200500,2\n'))
    expect(ms.guess.time).toEqual({ kind: 'epoch', column: 0, unit: 'ms' })
  })

  it('joins separate date and time columns', async () => {
    const d = await detectFile(
      tmp.file('split.csv', 'date,time,v\n2024-03-01,23:59:59,1\n2024-03-02,00:00:00,2\n'),
    )
    expect(d.guess.time).toEqual({
      kind: 'date+time',
      column: 0,
      timeColumn: 1,
      order: 'ymd',
      utcOffsetMin: 0,
    })
  })

  it('takes month-first when a day past 12 says so, and the order under which rows run forward', async () => {
    const us = await detectFile(tmp.file('us.csv', 'd,v\n01/12/2024 10:00,1\n01/13/2024 10:00,2\n'))
    expect(us.guess.time).toMatchObject({ order: 'mdy' })
    expect(us.guess.ambiguousOrder).toBeUndefined()
    const forward = await detectFile(
      tmp.file('fw.csv', 'd,v\n01/02/2024 10:00,1\n02/02/2024 10:00,2\n03/02/2024 10:00,3\n'),
    )
    expect(forward.guess.time).toMatchObject({ order: 'dmy' })
  })

  it('says so, and offers the other order, when dates read both ways', async () => {
    const d = await detectFile(tmp.file('amb.csv', 'd,v\n03/04/2024 10:00,1\n03/04/2024 11:00,2\n'))
    expect(d.guess.ambiguousOrder).toEqual({ chosen: 'dmy', other: 'mdy', example: '03/04/2024 10:00' })
    expect(d.guess.notes.join()).toMatch(/day-first and month-first/)
  })

  it('calls a column text when text fills it, and number when text only strays into it', async () => {
    const rows = Array.from(
      { length: 20 },
      (_, i) => `2024-01-01 00:00:${String(i).padStart(2, '0')},${i === 7 ? 'error' : i},OK`,
    )
    const d = await detectFile(tmp.file('mixed.csv', `time,v,state\n${rows.join('\n')}\n`))
    expect(types(d)).toEqual(['datetime', 'number', 'text'])
  })

  it('refuses an empty file by name', async () => {
    await expect(detectFile(tmp.file('empty.csv', '\n\n'))).rejects.toThrow(/empty\.csv: the file is empty/)
  })
})

describe('locating the data of a file whose format is known (what an import reads)', () => {
  it('finds the header, the data start and the slow reason detection finds, for the same format', async () => {
    const files = [
      SKAB,
      CMAPSS,
      NAB,
      tmp.file('bom.tsv', '\uFEFFtime\tflow\r\n2024-01-01T00:00:00Z\t1.5\r\n2024-01-01T00:00:01Z\t1.6\r\n'),
      tmp.file('u16.csv', Buffer.from('\uFEFFzeit,wert\n2024-01-01 00:00:00,1.5\n', 'utf16le')),
      tmp.file('units.csv', 'time,flow,temp\n,L/min,C\n2024-01-01 00:00:00,1,2\n2024-01-01 00:00:01,1,2\n'),
      tmp.file('quoted.csv', '"time","a ""b"" c"\n2024-01-01 00:00:00,1\n'),
      tmp.file('cr.csv', 'time,v\r2024-01-01 00:00:00,1\r2024-01-01 00:00:01,2\r'),
    ]
    for (const f of files) {
      const d = await detectFile(f)
      const l = await locateData(f, d.format)
      expect({ f, ...l }).toEqual({
        f,
        headers: d.headers,
        start: d.start,
        ...(d.slowReason ? { slowReason: d.slowReason } : {}),
      })
    }
  })

  it('refuses an empty file by name', async () => {
    const f = tmp.file('empty.csv', '\n\n')
    await expect(
      locateData(f, { encoding: 'utf-8', delimiter: ',', decimal: '.', headerRows: 1 }),
    ).rejects.toThrow(/empty\.csv: the file is empty/)
  })
})
