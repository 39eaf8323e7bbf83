import type { CliCommand } from '../command'

/** Every command of `fulcrum`, in the order `fulcrum --help` lists them. Add a command here and nowhere else. */
export const commands: CliCommand[] = []
