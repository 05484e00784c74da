import { href } from '../../shell/router.ts'
import { useAlarmFeed, useAlarms } from './alarm-feed.ts'
import { bannerOf } from './alarm-select.ts'
import './alarms.css'

/**
 * The alarm line on every view: how many alarms wait for an acknowledgement and the most
 * urgent of them, in its priority's colour; a flood says so. Nothing waiting, no line.
 */
export function AlarmBanner() {
  useAlarmFeed()
  const all = useAlarms((s) => s.alarms)
  const flood = useAlarms((s) => s.stats?.flood)
  const { unacked, top } = bannerOf(all)
  if (!top) return null
  return (
    <a
      className={`banner alarm-banner alarm-${top.priority}`}
      href={href('alarms')}
      data-testid="alarm-banner"
    >
      <strong>
        {unacked} unacknowledged alarm{unacked === 1 ? '' : 's'}
        {flood?.active ? ' · FLOOD' : ''}
      </strong>
      <span>
        {top.priority.toUpperCase()}: {top.message}
      </span>
    </a>
  )
}
