import { startBackend } from '../../services/backend'
import { defaultDbFile } from '../../services/paths'
import { DatabaseRefusedError } from '../../store/database'
import { startBrowserServer } from '../../transports/http-server'
import { parseCliArgs } from '../args'
import { EXIT_FAILURE, EXIT_USAGE, UsageError, type CliCommand } from '../command'

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'run the workstation in a browser (127.0.0.1 only, with an access token)',
  usage: [
    'usage: fulcrum serve [--db FILE] [--port N] [--no-demo] [--rebuild]',
    '',
    'Serves the Fulcrum app and its backend on 127.0.0.1. The first line printed is the URL to open;',
    'it carries a random access token, and every request without it is refused.',
    '',
    '  --db FILE    database file (default: the desktop app\'s, see README "Where data lives")',
    '  --port N     port to listen on (default: a free one)',
    '  --no-demo    do not seed the demo portfolio into a new database',
    '  --rebuild    rebuild the renderer before serving',
  ].join('\n'),
  run: async (argv, io) => {
    const { values } = parseCliArgs(argv, {
      db: { type: 'string' },
      port: { type: 'string' },
      'no-demo': { type: 'boolean', default: false },
      rebuild: { type: 'boolean', default: false },
    }, false)
    const port = values.port === undefined ? 0 : Number(values.port)
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0..65535, not "${values.port}"`)
    const dataFile = values.db ?? defaultDbFile()

    let rendererDir: string
    try {
      // Loaded here, not at the top: it pulls in Vite, which other commands should not pay for.
      const { ensureRendererBuilt } = await import('../renderer-build')
      rendererDir = await ensureRendererBuilt((line) => io.stderr(`${line}\n`), values.rebuild)
    } catch (error) {
      io.stderr(`fulcrum serve: could not build the renderer: ${(error as Error).message}\n`)
      return EXIT_FAILURE
    }

    let backend
    try {
      backend = startBackend({ dataFile, mode: 'browser', seedDemoOnCreate: !values['no-demo'] })
    } catch (error) {
      if (error instanceof DatabaseRefusedError) {
        io.stderr(`fulcrum serve: ${error.message}\n`)
        return EXIT_USAGE
      }
      throw error
    }
    const server = await startBrowserServer({
      table: backend.service.table,
      events: backend.events,
      rendererDir,
      port,
    })
    io.stdout(`${server.openUrl}\n`)
    io.stderr(`Fulcrum browser mode at ${server.url} (data: ${backend.database.file}). Press Ctrl+C to stop.\n`)

    return await new Promise<number>((resolve) => {
      let stopping = false
      const stop = (): void => {
        if (stopping) return
        stopping = true
        void server
          .close()
          .then(() => backend.close())
          .then(() => resolve(0))
      }
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    })
  },
}
