export function leanStart(env?: NodeJS.ProcessEnv): { env: Record<string, string>; execArgv: string[] }
export function restartLean(argv?: string[]): void
