/**
 * The lock file installs everywhere with plain `npm ci`: every optional platform package
 * (esbuild, rollup, DuckDB bindings, …) of Linux, macOS and Windows is locked, with version and
 * integrity (scripts/check-lock.mjs). A lock written on one platform that lacks the others fails here.
 */
import {execFileSync} from "node:child_process";
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {describe, expect, it} from "vitest";

const root = join(import.meta.dirname, "..", "..");
const check = (lock: string): {status: number; out: string} => {
  try {
    return {status: 0, out: execFileSync(process.execPath, [join(root, "scripts", "check-lock.mjs"), lock], {encoding: "utf8"})};
  } catch (error) {
    const e = error as {status: number; stdout: string};
    return {status: e.status, out: e.stdout};
  }
};

describe("package-lock.json", () => {
  it("locks the optional platform packages of every operating system", () => {
    const result = check(join(root, "package-lock.json"));
    expect(result.out).toContain("complete");
    expect(result.status).toBe(0);
  });

  it("the check fails when a platform package is missing (macOS arm64 build of rollup removed)", () => {
    const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as {packages: Record<string, unknown>};
    expect(lock.packages["node_modules/@rollup/rollup-darwin-arm64"]).toBeDefined();
    delete lock.packages["node_modules/@rollup/rollup-darwin-arm64"];
    const dir = mkdtempSync(join(tmpdir(), "chancenatlas-lock-"));
    try {
      writeFileSync(join(dir, "package-lock.json"), JSON.stringify(lock));
      const result = check(join(dir, "package-lock.json"));
      expect(result.status).toBe(1);
      expect(result.out).toContain("MISSING @rollup/rollup-darwin-arm64");
    } finally {
      rmSync(dir, {recursive: true, force: true});
    }
  });
});
