#!/usr/bin/env node
// Command-line entry point: registers tsx so that the TypeScript pipeline in
// loaders/ runs without a compile step, then hands over to loaders/cli.ts.
import {register} from "tsx/esm/api";

register();
const {main} = await import("../loaders/cli.ts");
process.exitCode = await main(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s)
});
