export function findJemalloc(exists?: (path: string) => boolean, platform?: string): string | null
export function leanStart(
  env?: NodeJS.ProcessEnv,
  jemalloc?: string | null,
): { env: Record<string, string>; execArgv: string[] }
export function restartLean(argv?: string[]): void
