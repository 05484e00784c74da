import { Worker } from 'node:worker_threads'
import { workerUrl } from '../worker-url.ts'

/*
 * The import's parsing threads, kept between imports. Starting one costs ~0.1-0.2 s of CPU to
 * load its modules (seconds on a busy machine), and a fresh thread parses its first million
 * rows ~40% slower than one whose parser the JIT has already compiled (measured: 0.81-0.87 s
 * against 0.57-0.62 s of CPU): both are a large share of an import that takes about a second.
 * So the engine starts the idle threads with the store (warmParserThreads), an import takes
 * them, and hands each back when its part ended cleanly; a thread that was cancelled
 * (terminated) or failed is not reused, and the next import starts a new one. Idle threads do
 * not keep the process alive (unref).
 */

/** An import parses on at most this many threads (split-parse.ts); as many are kept idle. */
export const PARSER_THREADS = 2

const idle: Worker[] = []

function forget(worker: Worker): void {
  const i = idle.indexOf(worker)
  if (i >= 0) idle.splice(i, 1)
}

function start(): Worker {
  const worker = new Worker(workerUrl('import/import.worker.ts', 'import.worker'))
  // Idle, a failure (a module that does not load) shows when an import takes the thread and
  // listens (parser-run.ts); until then it must not crash the process as an unhandled error.
  worker.on('error', () => forget(worker))
  worker.on('exit', () => forget(worker))
  return worker
}

/** Starts idle parsing threads up to PARSER_THREADS, so the next import finds them ready. */
export function warmParserThreads(): void {
  while (idle.length < PARSER_THREADS) {
    const worker = start()
    worker.unref()
    idle.push(worker)
  }
}

/** An idle thread, or a new one; it is the caller's until it gives it back or terminates it. */
export function takeParserThread(): Worker {
  const worker = idle.pop() ?? start()
  worker.ref()
  return worker
}

/**
 * Takes back a thread whose import ended cleanly (it waits for its next 'start'). The caller
 * must have removed its own listeners. Beyond PARSER_THREADS idle, the thread ends.
 */
export function giveBackParserThread(worker: Worker): void {
  if (idle.length >= PARSER_THREADS) {
    void worker.terminate()
    return
  }
  worker.unref()
  idle.push(worker)
}

/** Ends the idle threads (an engine stopping leaves no thread behind); the next import starts new ones. */
export async function endIdleParserThreads(): Promise<void> {
  await Promise.all(idle.splice(0).map((w) => w.terminate()))
}
