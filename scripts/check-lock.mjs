#!/usr/bin/env node
// Lock-file completeness check (package-lock.json v2/v3, "packages" section).
// For every locked package, each optionalDependency -- and each dependency / non-optional
// peerDependency, so the deps of platform packages (e.g. a wasm binding's runtime) are covered
// too -- must resolve the way npm resolves it (own node_modules, then each ancestor's, then the
// root's) to an entry that has a version satisfying the range and an integrity hash. `resolved`
// is required only if the lock records it anywhere (npm's omit-lockfile-registry-resolved drops
// it from all registry entries).
// Usage: node scripts/check-lock.mjs [package-lock.json]   -> exit 1 and a list if incomplete
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve as resolvePath } from "node:path";

const file = resolvePath(process.argv[2] ?? "package-lock.json");
const lock = JSON.parse(readFileSync(file, "utf8"));
const pkgs = lock.packages;
if (!pkgs) { console.error(`${file}: no "packages" section (lockfileVersion ${lock.lockfileVersion})`); process.exit(2); }

let semver = null; // the project's semver, else npm's own; without one only exact versions are compared
for (const from of [file, process.execPath.replace(/bin\/node(\.exe)?$/, "lib/node_modules/npm/")]) {
  try { semver = createRequire(from)("semver"); break; } catch {}
}
const satisfies = (v, range) =>
  semver ? semver.satisfies(v, range, { includePrerelease: true, loose: true })
         : !/^v?\d+\.\d+\.\d+(-[\w.]+)?$/.test(range) || range.replace(/^v/, "") === v;

const entries = Object.entries(pkgs);
const requireResolved = entries.some(([p, e]) => p && !e.link && e.resolved);

// Where npm finds `name` for the package at `from`.
function lookup(from, name) {
  for (let dir = from; ; ) {
    const p = (dir ? dir + "/" : "") + "node_modules/" + name;
    if (p in pkgs) return p;
    if (!dir) return null;
    const i = dir.lastIndexOf("/node_modules/");
    dir = i < 0 ? "" : dir.slice(0, i);
  }
}

const problems = new Set();
for (const [path, meta] of entries) {
  if (meta.link) continue; // symlink (workspace): its target entry is checked itself
  const who = path || "(root)";
  const peerOpt = meta.peerDependenciesMeta ?? {};
  const deps = [
    ...Object.entries(meta.optionalDependencies ?? {}).map(([n, r]) => [n, r, "optional dep"]),
    ...Object.entries(meta.dependencies ?? {}).map(([n, r]) => [n, r, "dep"]),
    ...(path ? [] : Object.entries(meta.devDependencies ?? {}).map(([n, r]) => [n, r, "dev dep"])),
    ...Object.entries(meta.peerDependencies ?? {}).filter(([n]) => !peerOpt[n]?.optional).map(([n, r]) => [n, r, "peer dep"]),
  ];
  for (const [name, spec, kind] of deps) {
    const at = lookup(path, name);
    if (!at) { problems.add(`MISSING ${name}@${spec} (${kind} of ${who})`); continue; }
    const e = pkgs[at];
    if (e.link) continue;
    let range = spec;
    const alias = /^npm:((?:@[^/]+\/)?[^@]+)(?:@(.*))?$/.exec(spec);
    if (alias) {
      range = alias[2] ?? "*";
      if (e.name !== alias[1]) problems.add(`WRONG ${at} is ${e.name ?? name}, want alias ${spec} (${kind} of ${who})`);
    }
    const registryRange = !/^(file:|link:|git|github:|https?:|workspace:)|\//.test(range) || alias;
    if (e.version && registryRange && !satisfies(e.version, range || "*"))
      problems.add(`MISMATCH ${at}@${e.version} does not satisfy ${name}@${spec} (${kind} of ${who})`);
    const needed = ["version", "integrity", ...(requireResolved ? ["resolved"] : [])];
    if (!registryRange) needed.splice(1); // non-registry sources: version only
    const lacks = needed.filter((k) => !e[k]);
    if (lacks.length) problems.add(`INCOMPLETE ${at} lacks ${lacks.join(", ")} (${kind} of ${who})`);
  }
}
for (const p of problems) console.log(p);
console.log(problems.size ? `${problems.size} problem(s) in ${file}` : `${file}: complete (${entries.length - 1} entries, resolved ${requireResolved ? "required" : "omitted by the lock"})`);
process.exitCode = problems.size ? 1 : 0;
