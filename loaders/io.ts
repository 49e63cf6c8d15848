/** Output channels of a command, so commands can be tested without a process. */
export interface CommandIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** Exit codes shared by all commands. */
export const EXIT_OK = 0;
export const EXIT_DATA_ERROR = 1;
export const EXIT_USAGE = 2;

/** A usage or structural error that stops a command with exit code 2. */
export class UsageError extends Error {}
