/**
 * Runs one of the reference scripts beside this file under Debian's /usr/bin/python3 (where
 * quantlib-python and python3-scipy load; the python3 first on PATH may be another interpreter)
 * and returns its JSON answer. Used by the engine's specs; never by the app.
 *
 * Any failure throws with the script's own message: a missing QuantLib must fail the suite, since
 * CI installs it and a silently skipped reference proves nothing.
 */
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const SYSTEM_PYTHON = '/usr/bin/python3'

export type ReferenceScript = 'quantlib_options.py' | 'scipy_normal.py' | 'highprec_options.py'

export function runPythonReference<T>(script: ReferenceScript, request: unknown): T {
  const path = fileURLToPath(new URL(`./${script}`, import.meta.url))
  const result = spawnSync(SYSTEM_PYTHON, [path], {
    input: JSON.stringify(request),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 120_000,
  })
  if (result.error) {
    throw new Error(`could not run ${SYSTEM_PYTHON} ${script}: ${result.error.message}`)
  }
  if (result.status !== 0) {
    throw new Error(
      `${SYSTEM_PYTHON} ${script} exited with ${result.status ?? result.signal}:\n${result.stderr.trim()}`,
    )
  }
  return JSON.parse(result.stdout) as T
}
