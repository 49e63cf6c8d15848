/** Test helper: runs fn and returns the IngestError it throws (fails on anything else). */
import {IngestError} from "../../loaders/ingest/index.ts";

export function thrown(fn: () => unknown): IngestError {
  try {
    fn();
  } catch (e) {
    if (e instanceof IngestError) return e;
    throw e;
  }
  throw new Error("expected an IngestError");
}
