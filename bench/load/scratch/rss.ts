import { Hub } from '../../../src/main/hub/hub.ts'
import { loadPlant } from '../plant.ts'
const mb = () => (process.memoryUsage().rss / 2 ** 20).toFixed(0)
console.log('start', mb())
const h = new Hub(loadPlant({ pumps: 100, rateHz: 10 }).assets)
console.log('hub 100x10Hz', mb())
const h2 = new Hub(loadPlant({ pumps: 100, rateHz: 100 }).assets)
console.log('hub 100x100Hz', mb(), h ? '' : '', h2 ? '' : '')
