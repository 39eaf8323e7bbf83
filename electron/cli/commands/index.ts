import type { CliCommand } from '../command'
import { riskCommand } from './risk'

/** Every command of `fulcrum`, in the order `fulcrum --help` lists them. Add a command here and nowhere else. */
export const commands: CliCommand[] = [riskCommand]
