// Types for scripts/start.mjs, which stays plain JS so it runs before anything is built.
export declare const OUTPUTS: string[]
export declare function needsBuild(root: string): boolean
export declare function electronBinary(root: string): string | null
export declare function hasDisplay(env?: Record<string, string | undefined>, platform?: string): boolean
