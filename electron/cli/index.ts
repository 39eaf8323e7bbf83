#!/usr/bin/env node
/**
 * `fulcrum` — the command line. Runs straight from the TypeScript sources with tsx
 * (`npm run --silent fulcrum -- <command>`), so it works right after `npm ci`.
 * The CLI never seeds the demo portfolio; only the app (and `serve`, which is the app) does.
 */
import type { CliCommand, CliIo } from './command'
import { EXIT_USAGE, UsageError } from './command'
import { commands } from './commands'

function usage(list: readonly CliCommand[]): string {
  const width = Math.max(...list.map((c) => c.name.length))
  return [
    'usage: fulcrum <command> [options]',
    '',
    ...list.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run 'fulcrum <command> --help' for a command's options.",
  ].join('\n')
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage(commands) + '\n')
    return name ? 0 : EXIT_USAGE
  }
  const command = commands.find((c) => c.name === name)
  if (!command) {
    io.stderr(`fulcrum: unknown command "${name}"\n${usage(commands)}\n`)
    return EXIT_USAGE
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`${command.usage}\n`)
    return 0
  }
  try {
    return await command.run(rest, io)
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`fulcrum ${command.name}: ${error.message}\n${command.usage}\n`)
      return EXIT_USAGE
    }
    throw error
  }
}

const processIo: CliIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  readStdin: async () => {
    const chunks: Buffer[] = []
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
    return Buffer.concat(chunks).toString('utf8')
  },
}

const isEntry = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href
if (isEntry) {
  main(process.argv.slice(2), processIo).then(
    (code) => {
      process.exitCode = code
    },
    (error: unknown) => {
      process.stderr.write(`fulcrum: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
      process.exitCode = 1
    },
  )
}
