import type { CliCommand } from '../command'
import { exportCommand } from './export'
import { importCommand } from './import'
import { riskCommand } from './risk'
import { serveCommand } from './serve'

/** Every command of `fulcrum`, in the order `fulcrum --help` lists them. Add a command here and nowhere else. */
export const commands: CliCommand[] = [riskCommand, serveCommand, exportCommand, importCommand]
