/**
 * `chancenatlas <command> [options]` – the command-line front of the pipeline.
 * Each command lives in loaders/commands/ and returns an exit code.
 */
import {EXIT_USAGE, type CommandIO} from "./io.ts";
import {runLoadCommand, runValidateCommand} from "./commands/validate.ts";
import {runIndexCommand} from "./commands/index-command.ts";
import {runCompareCommand} from "./commands/compare.ts";

interface Command {
  summary: string;
  run: (argv: string[], io: CommandIO) => Promise<number>;
}

const commands: Record<string, Command> = {
  validate: {summary: "Stadtordner prüfen: gelesene, geladene und abgelehnte Zeilen je Datei", run: runValidateCommand},
  load: {summary: "Stadtordner prüfen und in eine DuckDB-Datenbank laden", run: runLoadCommand},
  index: {summary: "Status- und Dynamikindex aus einer beliebigen Tabelle berechnen", run: runIndexCommand},
  compare: {summary: "Quoten mit der übrigen Stadt vergleichen: Intervalle, Trichtergrenzen, Trend (beliebige Tabelle)", run: runCompareCommand}
};

export function usage(): string {
  const lines = ["Aufruf: chancenatlas <befehl> [optionen]", "", "Befehle:"];
  for (const [name, command] of Object.entries(commands)) lines.push(`  ${name.padEnd(10)} ${command.summary}`);
  lines.push("", "Hilfe zu einem Befehl: chancenatlas <befehl> --help");
  return lines.join("\n") + "\n";
}

export async function main(argv: string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout(usage());
    return name === undefined ? EXIT_USAGE : 0;
  }
  const command = commands[name];
  if (!command) {
    io.stderr(`Unbekannter Befehl „${name}“.\n\n${usage()}`);
    return EXIT_USAGE;
  }
  return command.run(rest, io);
}
