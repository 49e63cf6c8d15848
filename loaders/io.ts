/** Output channels of a command, so commands can be tested without a process. */
export interface CommandIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** Exit codes shared by all commands. */
export const EXIT_OK = 0;
export const EXIT_DATA_ERROR = 1;
export const EXIT_USAGE = 2;

/** A usage or structural error that stops a command with exit code 2. */
export class UsageError extends Error {}

/**
 * The arguments of a command that reads one input table: `--name value` or `--name=value` for
 * every option in `valueOptions` (the next argument is the value even if it starts with "-",
 * as in --na -9999), and exactly one positional argument, the input file. "help" for --help/-h.
 * Throws UsageError with a German message for unknown, repeated or valueless options.
 */
export function splitArgs(argv: readonly string[], valueOptions: ReadonlySet<string>): {options: Map<string, string>; input: string} | "help" {
  const options = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--help" || arg === "-h") return "help";
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = eq >= 0 ? arg.slice(0, eq) : arg;
      if (!valueOptions.has(name)) throw new UsageError(`Unbekannte Option „${name}“`);
      if (options.has(name)) throw new UsageError(`Option ${name} ist doppelt angegeben`);
      const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new UsageError(`Option ${name} braucht einen Wert`);
      options.set(name, value);
    } else {
      positional.push(arg);
    }
  }
  if (positional.length === 0) throw new UsageError("Die Eingabedatei (CSV) fehlt");
  if (positional.length > 1) throw new UsageError(`Nur eine Eingabedatei erwartet, gefunden: ${positional.join(", ")}`);
  return {options, input: positional[0]!};
}
