/*
 * Converts a C-MAPSS file for `vigil score` (see cmapss-csv.ts and the README's Reproduce):
 *   node models/cmapss-rul/to-csv.ts ../shared/datasets/cmapss/test_FD001.txt ../shared/datasets/cmapss/RUL_FD001.txt /tmp/test_FD001.csv
 *   node models/cmapss-rul/to-csv.ts ../shared/datasets/cmapss/train_FD001.txt /tmp/train_FD001.csv
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { cmapssToCsv } from './cmapss-csv.ts'

const args = process.argv.slice(2)
if (args.length < 2 || args.length > 3) {
  console.error('usage: node models/cmapss-rul/to-csv.ts DATA.txt [RUL.txt] OUT.csv')
  process.exit(2)
}
const [data, rul, out] = args.length === 3 ? args : [args[0], undefined, args[1]]
const csv = cmapssToCsv(readFileSync(data!, 'utf8'), data!, rul && readFileSync(rul, 'utf8'), rul)
writeFileSync(out!, csv)
console.log(`wrote ${out}`)
