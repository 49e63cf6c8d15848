import {defineConfig} from "vitest/config";

// Two projects: fast unit tests, and browser tests that build the site once
// (offline, in a network namespace where possible) and drive Debian's chromium.
export default defineConfig({
  test: {
    reporters: ["default", "json"],
    outputFile: {json: "test-results/vitest.json"},
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          exclude: ["test/browser/**", "**/node_modules/**"],
          testTimeout: 60_000
        }
      },
      {
        test: {
          name: "browser",
          include: ["test/browser/**/*.test.ts"],
          globalSetup: ["test/browser/global-setup.ts"],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000
        }
      }
    ]
  }
});
