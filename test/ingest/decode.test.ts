import {describe, expect, it} from "vitest";
import {decode, decodeWindows1252, encodeWindows1252, IngestError} from "../../loaders/ingest/index.ts";
import {thrown} from "./thrown.ts";

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);
const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));


describe("decode", () => {
  it("detects and strips a UTF-8 BOM", () => {
    const r = decode(bytes(0xef, 0xbb, 0xbf, ...ascii("a;b\n"), 0xc3, 0xa4), "f.csv");
    expect(r).toEqual({text: "a;b\nä", encoding: "utf-8-bom"});
  });

  it("reads valid UTF-8 (and pure ASCII) as utf-8", () => {
    expect(decode(bytes(0x53, 0xc3, 0xbc, 0x64), "f.csv")).toEqual({text: "Süd", encoding: "utf-8"});
    expect(decode(bytes(...ascii("Jahr;Anzahl")), "f.csv")).toEqual({text: "Jahr;Anzahl", encoding: "utf-8"});
  });

  it("falls back to Windows-1252 and maps 0x80–0x9F per Windows-1252", () => {
    // M a ß n a h m e ; 8 5 € „ “ – ä ö ü Ÿ
    const r = decode(bytes(0x4d, 0x61, 0xdf, 0x6e, 0x3b, 0x38, 0x35, 0x80, 0x84, 0x93, 0x96, 0xe4, 0xf6, 0xfc, 0x9f), "f.csv");
    expect(r.encoding).toBe("windows-1252");
    expect(r.text).toBe("Maßn;85€„“–äöüŸ");
  });

  it("decodes ISO-8859-1 bytes (subset of Windows-1252 for printable characters)", () => {
    const r = decode(bytes(0xc4, 0xd6, 0xdc, 0xb0, 0xb2, 0xa0, 0xe9), "f.csv");
    expect(r).toEqual({text: "ÄÖÜ°²\u00a0é", encoding: "windows-1252"});
  });

  it("maps all 256 bytes per the Windows-1252 code page", () => {
    // reference: 0x80–0x9F of the Windows-1252 table; 0x81, 0x8D, 0x8F, 0x90, 0x9D are undefined and kept as C1 controls
    const high = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ";
    const all = Uint8Array.from({length: 256}, (_, i) => i);
    const expected = [...Array(256).keys()].map((i) => (i >= 0x80 && i <= 0x9f ? high[i - 0x80] : String.fromCharCode(i))).join("");
    expect(high).toHaveLength(32);
    expect(decodeWindows1252(all)).toBe(expected);
  });

  it("round-trips encodeWindows1252 and rejects unrepresentable characters", () => {
    expect([...(encodeWindows1252("ä€ß") ?? [])]).toEqual([0xe4, 0x80, 0xdf]);
    expect(encodeWindows1252("Ā")).toBeUndefined();
  });

  it("rejects U+FFFD replacement characters with file and line, unless allowed", () => {
    const input = bytes(...ascii("Gebiet\nH"), 0xef, 0xbf, 0xbd, ...ascii("ntrop\n"));
    const e = thrown(() => decode(input, "wahl.csv"));
    expect(e.code).toBe("encoding");
    expect(e.file).toBe("wahl.csv");
    expect(e.line).toBe(2);
    expect(e.message).toMatch(/^wahl\.csv, Zeile 2: .*zerstörte Zeichen/);
    expect(decode(input, "wahl.csv", {allowReplacementChars: true}).text).toBe("Gebiet\nH\uFFFDntrop\n");
  });

  it("reports invalid bytes after a BOM as an encoding error", () => {
    const e = thrown(() => decode(bytes(0xef, 0xbb, 0xbf, ...ascii("a\r\nb\r\n"), 0xe4), "bom.csv"));
    expect(e.code).toBe("encoding");
    expect(e.line).toBe(3);
  });

  it.each([
    ["Ã¤", "ä"],
    ["Ã¶", "ö"],
    ["Ã¼", "ü"],
    ["ÃŸ", "ß"],
    ["Ã„", "Ä"],
    ["â‚¬", "€"]
  ])("reports double-encoded UTF-8 %s (for %s) as an encoding error", (moji, meant) => {
    const text = `Gebiet;Anzahl\r\nA;1\r\nx${moji}y;2\r\n`;
    const e = thrown(() => decode(new TextEncoder().encode(text), "doppelt.csv"));
    expect(e.code).toBe("encoding");
    expect(e.line).toBe(3);
    expect(e.message).toContain(`„${moji}“ statt „${meant}“`);
    expect(decode(new TextEncoder().encode(text), "doppelt.csv", {allowMojibake: true}).text).toBe(text);
  });

  it("counts lines with CRLF, LF and lone CR when locating a problem", () => {
    const e = thrown(() => decode(new TextEncoder().encode("a\r\nb\rc\nd\uFFFD"), "f.csv"));
    expect(e.line).toBe(4);
  });

  it("rejects UTF-16, binary and ZIP (xlsx) files", () => {
    expect(thrown(() => decode(bytes(0xff, 0xfe, 0x41, 0x00), "u16.csv")).code).toBe("encoding");
    expect(thrown(() => decode(bytes(0xfe, 0xff, 0x00, 0x41), "u16.csv")).code).toBe("encoding");
    const bin = thrown(() => decode(bytes(...ascii("a;b\nc"), 0x00, 0x01), "bin.csv"));
    expect(bin.code).toBe("unreadable");
    expect(bin.line).toBe(2);
    const zip = thrown(() => decode(bytes(0x50, 0x4b, 0x03, 0x04, 0x14), "tabelle.csv"));
    expect(zip.code).toBe("unreadable");
    expect(zip.message).toContain("xlsx");
  });
});
