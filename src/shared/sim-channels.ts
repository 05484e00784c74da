import { z } from 'zod'
import type { SetpointInfo } from './setpoints.ts'

/*
 * The contract's channels for simulated assets beyond fault injection (contract.ts spreads
 * them in). `sim.setpoint` lists a simulated asset's setpoints, sets one (an optimizer's
 * suggestion tried on the simulator) or, with value null, hands it back to the asset's own
 * schedule. Vigil never writes to a real plant: only a simulator takes setpoints.
 */

const res = <T>() => z.custom<T>(() => true)

export const simChannels = {
  'sim.setpoint': {
    req: z
      .object({
        assetId: z.string().min(1).max(100),
        tag: z.string().min(1).max(100).optional(),
        value: z.number().finite().nullable().optional(),
      })
      .strict()
      .refine((r) => r.value === undefined || r.tag !== undefined, {
        message: 'a value needs the tag whose setpoint it is',
        path: ['tag'],
      }),
    res: res<{ setpoints: SetpointInfo[] }>(),
  },
} as const
