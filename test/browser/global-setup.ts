/**
 * Builds the site once for all browser tests and serves dist/ on 127.0.0.1.
 * The build runs inside a network namespace with no network (`unshare -n`)
 * when the machine allows it, which proves the site builds offline.
 */
import {spawnSync} from "node:child_process";
import {join} from "node:path";
import type {TestProject} from "vitest/node";
import {serveStatic} from "../../scripts/browser/static-server.ts";

const root = join(import.meta.dirname, "..", "..");

function canUnshareNetwork(): boolean {
  return spawnSync("unshare", ["-n", "true"], {stdio: "ignore"}).status === 0;
}

declare module "vitest" {
  export interface ProvidedContext {
    origin: string;
    offlineBuild: boolean;
    distDir: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const offline = canUnshareNetwork();
  if (process.env.CHANCENATLAS_SKIP_BUILD !== "1") {
    const command = offline ? ["unshare", ["-n", "npm", "run", "build"]] as const : ["npm", ["run", "build"]] as const;
    const result = spawnSync(command[0], [...command[1]], {cwd: root, encoding: "utf8", env: {...process.env, OBSERVABLE_TELEMETRY_DISABLE: "true"}});
    if (result.status !== 0) {
      throw new Error(`site build failed (${offline ? "offline" : "online"}):\n${result.stdout}\n${result.stderr}`);
    }
  }
  const distDir = join(root, "dist");
  const {server, origin} = await serveStatic(distDir);
  project.provide("origin", origin);
  project.provide("offlineBuild", offline);
  project.provide("distDir", distDir);
  return async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
}
