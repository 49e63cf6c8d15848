/**
 * Configuration of the three embedded cities: identifiers, levels, years,
 * the city.json content and the hand-set part of the latent need factor with
 * the public facts it rests on (see docs/data-sources.md).
 */

export type CityId = "bochum" | "bottrop" | "koeln";
export const CITY_IDS: readonly CityId[] = ["bochum", "bottrop", "koeln"];

export const SYNTHETIC = "synthetisch";

/** Reporting years of all synthetic series. */
export const YEARS: readonly number[] = [2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024];
/** Köln: synthetic continuation of the real population 2005–2012. */
export const KOELN_POPULATION_SYNTHETIC_YEARS: readonly number[] = [
  2013, 2014, 2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024
];

export const CHILD_BANDS = ["0-3", "3-6", "6-10", "10-15", "15-18"] as const;
export const ADULT_BANDS_COARSE = ["18-25", "25-45", "45-65", "65-75", "75+"] as const;
export const KOELN_BANDS = [
  "0-3", "3-6", "6-10", "10-15", "15-18", "18-25", "25-35", "35-45", "45-55", "55-60", "60-65", "65-75", "75+"
] as const;

export interface Level {
  id: string;
  name: string;
}

export interface NeedIndicator {
  id: string;
  weight: number;
  /** +1: a higher value means more need; −1: a higher value means less need (as in the catalogue). */
  polarity: 1 | -1;
}

export interface CityJson {
  id: CityId;
  name: string;
  ags: string;
  levels: Level[];
  years: {first: number; last: number};
  small_numbers: {min_cases: number; min_denominator: number};
  kita_targets: {u3: number; ue3: number};
  need_index: {
    indicators: NeedIndicator[];
    method: "z-sum";
    thresholds: number[];
    dynamics_years: number;
  };
  markers: string[];
  column_mappings: Record<string, Record<string, string>>;
  tiles?: {area_id: string; row: number; col: number}[];
}

/** The need index of every synthetic city: the embedded ones and the state (state.ts). */
export const NEED_INDEX: CityJson["need_index"] = {
  indicators: [
    {id: "sgb2_u15", weight: 1, polarity: 1},
    {id: "seu_german_support", weight: 1, polarity: 1},
    {id: "seu_overweight", weight: 1, polarity: 1},
    {id: "seu_u9", weight: 1, polarity: -1}
  ],
  method: "z-sum",
  thresholds: [-1, 1, 1.5],
  dynamics_years: 2
};

function baseJson(id: CityId, name: string, ags: string, levels: Level[]): CityJson {
  return {
    id,
    name,
    ags,
    levels,
    years: {first: YEARS[0]!, last: YEARS[YEARS.length - 1]!},
    small_numbers: {min_cases: 5, min_denominator: 20},
    kita_targets: {u3: 0.45, ue3: 0.98},
    need_index: NEED_INDEX,
    markers: [],
    column_mappings: {}
  };
}

/** Bochum Stadtbezirke: official numbers 1–6 (I–VI), city "0". */
export const BOCHUM_CITY_ID = "0";
export const BOCHUM_DISTRICTS: readonly {id: string; name: string}[] = [
  {id: "1", name: "Bochum-Mitte"},
  {id: "2", name: "Wattenscheid"},
  {id: "3", name: "Bochum-Nord"},
  {id: "4", name: "Bochum-Ost"},
  {id: "5", name: "Bochum-Süd"},
  {id: "6", name: "Bochum-Südwest"}
];

/**
 * Schematic tile layout (no district polygons exist): Nord on top,
 * Wattenscheid – Mitte – Ost in the middle row, Südwest and Süd below.
 */
export const BOCHUM_TILES = [
  {area_id: "3", row: 0, col: 1},
  {area_id: "2", row: 1, col: 0},
  {area_id: "1", row: 1, col: 1},
  {area_id: "4", row: 1, col: 2},
  {area_id: "6", row: 2, col: 0},
  {area_id: "5", row: 2, col: 1}
];

export const BOTTROP_CITY_ID = "0";
export const KOELN_CITY_ID = "000";

export function cityJson(id: CityId): CityJson {
  switch (id) {
    case "bochum":
      return {
        ...baseJson("bochum", "Bochum", "05911000", [
          {id: "stadt", name: "Stadt"},
          {id: "stadtbezirk", name: "Stadtbezirk"}
        ]),
        tiles: BOCHUM_TILES
      };
    case "bottrop":
      return baseJson("bottrop", "Bottrop", "05512000", [
        {id: "stadt", name: "Stadt"},
        {id: "stadtbezirk", name: "Stadtbezirk"},
        {id: "sozialraum", name: "Sozialraum (Kommunalwahlbezirk)"}
      ]);
    case "koeln":
      return baseJson("koeln", "Köln", "05315000", [
        {id: "stadt", name: "Stadt"},
        {id: "stadtbezirk", name: "Stadtbezirk"},
        {id: "stadtteil", name: "Stadtteil"}
      ]);
  }
}

/**
 * Hand-set latent need (roughly a z-score) of the Bochum Stadtbezirke.
 * Public statements: Wattenscheid and Mitte carry the highest child poverty,
 * parts of Nord and Ost are above average, Süd and Südwest below.
 */
export const BOCHUM_NEED: Readonly<Record<string, number>> = {
  "1": 0.8, "2": 0.9, "3": 0.35, "4": 0.25, "5": -0.9, "6": -1.0
};

/** Population shares of the Bochum Stadtbezirke (rounded orders of magnitude). */
export const BOCHUM_POP_SHARE: Readonly<Record<string, number>> = {
  "1": 0.285, "2": 0.2, "3": 0.093, "4": 0.148, "5": 0.137, "6": 0.137
};

/**
 * Hand-set latent need of the 27 Bottrop Kommunalwahlbezirke (by number).
 * Stadt Bottrop (Sozialbericht, quoted in the city's press text on "Zusammen
 * im Quartier"): child and youth poverty is highest in Batenbrock-Süd,
 * Altstadt, Nord-Ost and Welheim. Kirchhellen is the rural, better-off north.
 */
export const BOTTROP_NEED: Readonly<Record<number, number>> = {
  1: 0.8, 2: 0.6, 3: 0.3, 4: 2.05, 5: 2.15, 6: -0.4, 7: -0.3, 8: -0.7, 9: -0.6,
  10: 0.2, 11: 0.0, 12: 0.5, 13: 0.5, 14: 0.9, 15: 0.7, 16: 0.4, 17: 2.1, 18: 2.3,
  19: 0.8, 20: 0.5, 21: 0.85, 22: -0.2, 23: -1.3, 24: -1.4, 25: -1.0, 26: -1.1, 27: -1.3
};
/** The areas named in the public statement (top child poverty). */
export const BOTTROP_NAMED_HIGH_NEED: readonly number[] = [4, 5, 17, 18];

/**
 * Köln: the latent need is anchored on the real share of inhabitants with a
 * migration background 2012 (Stadt Köln, table 030), plus these hand-set
 * offsets for publicly known affluent and deprived Stadtteile.
 */
export const KOELN_NEED_OFFSET: Readonly<Record<string, number>> = {
  "207": -1.2, // Hahnwald
  "202": -1.2, // Marienburg
  "201": -0.4, // Bayenthal
  "208": -0.4, // Rodenkirchen
  "209": -0.3, // Weiß
  "210": -0.3, // Sürth
  "301": -0.3, // Klettenberg
  "302": -0.2, // Sülz
  "303": -0.5, // Lindenthal
  "305": -0.5, // Müngersdorf
  "306": -0.4, // Junkersdorf
  "609": 0.4, // Chorweiler
  "213": 0.5, // Meschenich
  "716": 0.3, // Finkenberg
  "603": 0.3, // Seeberg
  "802": 0.2, // Kalk
  "803": 0.3, // Vingst
  "901": 0.2, // Mülheim
  "809": 0.2 // Neubrück
};
