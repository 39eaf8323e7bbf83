/** The shape every `fulcrum <command>` implements. Commands write through `io`, never to process.std* directly, so tests can run them in-process. */
export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
  /** Reads all of standard input (for `import -`). */
  readStdin: () => Promise<string>
}

export interface CliCommand {
  name: string
  summary: string
  usage: string
  /** Resolves to the process exit code: 0 success, 1 failure, 2 invalid input or usage. */
  run: (argv: string[], io: CliIo) => Promise<number>
}

export const EXIT_OK = 0
export const EXIT_FAILURE = 1
export const EXIT_USAGE = 2

export class UsageError extends Error {
  override name = 'UsageError'
}
