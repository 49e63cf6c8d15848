import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {buildPaths, fileInfo, profileHtml, profilePlan, writeProfilePages} from "../../scripts/profile-pages.ts";

const page = (id: string, info: {hash: string; lastModified: number; size: number}): string =>
  `<head>\n<script type="module">\nregisterFile("../data/city.json", {"name":"../data/city.json","mimeType":"application/json","path":"../_file/data/city.a2ad7b29.json","lastModified":1,"size":2});` +
  `\nregisterFile("../data/gebiet/${id}.json", {"name":"../data/gebiet/${id}.json","mimeType":"application/json","path":"../_file/data/gebiet/${id}.${info.hash}.json","lastModified":${info.lastModified},"size":${info.size}});` +
  `\nconst areaFile = await FileAttachment("../data/gebiet/${id}.json").json();\n</script>\n<h1>Gebietsprofil</h1>`;

describe("profile pages from a template", () => {
  it("Framework renders two profiles and every id that is not plain; postbuild the others", () => {
    const paths = ["/gebiet/01", "/gebiet/01001", "/gebiet/Süd 1", "/gebiet/02", "/bericht/2024", "/downloads/x.csv"];
    expect(profilePlan(paths)).toEqual({templates: ["/gebiet/01", "/gebiet/02"], cloned: ["01001"]});
    expect(buildPaths(paths)).toEqual(["/gebiet/01", "/gebiet/Süd 1", "/gebiet/02", "/bericht/2024", "/downloads/x.csv"]);
    expect(profilePlan(["/gebiet/1", "/gebiet/2"])).toEqual({templates: ["/gebiet/1", "/gebiet/2"], cloned: []});
  });

  it("replaces the area's file and nothing else", () => {
    const a = {hash: "aaaaaaaa", lastModified: 1796231426212, size: 54165};
    const b = {hash: "bbbbbbbb", lastModified: 1796231426299, size: 7};
    expect(profileHtml(page("01001001", a), "01001001", "01", b)).toBe(page("01", b));
    expect(() => profileHtml(page("01", a).replace(/registerFile\("..\/data\/gebiet[^\n]*/, ""), "01", "02", b)).toThrow(/registerFile/);
  });

  it("writes the pages and the content-hashed files; stops when the templates differ beyond the file", () => {
    const dir = mkdtempSync(join(tmpdir(), "chancenatlas-profiles-"));
    try {
      const dist = join(dir, "dist");
      const cache = join(dir, "cache");
      const site = join(dir, "site");
      mkdirSync(join(dist, "gebiet"), {recursive: true});
      mkdirSync(join(cache, "data", "gebiet"), {recursive: true});
      mkdirSync(join(site, "data", "gebiet"), {recursive: true});
      for (const id of ["1", "3"]) writeFileSync(join(cache, "data", "gebiet", `${id}.json`), `{"id":"${id}"}`);
      writeFileSync(join(site, "data", "gebiet", "2.json"), `{"id":"2","more":1}`);
      for (const id of ["1", "3"]) writeFileSync(join(dist, "gebiet", `${id}.html`), page(id, fileInfo(join(cache, "data", "gebiet", `${id}.json`))));
      const plan = profilePlan(["/gebiet/1", "/gebiet/2", "/gebiet/3"]);
      expect(writeProfilePages(dist, plan, cache, site)).toBe(1);
      const info = fileInfo(join(cache, "data", "gebiet", "2.json"));
      expect(info.size).toBe(19);
      expect(readFileSync(join(dist, "gebiet", "2.html"), "utf8")).toBe(page("2", info));
      expect(readFileSync(join(dist, "_file", "data", "gebiet", `2.${info.hash}.json`), "utf8")).toBe(`{"id":"2","more":1}`);
      writeFileSync(join(dist, "gebiet", "3.html"), page("3", fileInfo(join(cache, "data", "gebiet", "3.json"))).replace("<h1>Gebietsprofil</h1>", "<h1>3</h1>"));
      expect(() => writeProfilePages(dist, plan, cache, site)).toThrow(/Vorlage/);
    } finally {
      rmSync(dir, {recursive: true, force: true});
    }
  });
});
