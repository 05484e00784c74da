import type { z } from 'zod'

/** "assets[0].tags[3].max: expected number, received string" — names the field a person must fix. */
export function formatIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('')
  return path ? `${path}: ${issue.message}` : issue.message
}

/** All issues of a failed parse, one per line, each naming its field. */
export function formatIssues(error: z.ZodError, max = 5): string {
  const lines = error.issues.slice(0, max).map(formatIssue)
  if (error.issues.length > max) lines.push(`… and ${error.issues.length - max} more`)
  return lines.join('\n')
}
