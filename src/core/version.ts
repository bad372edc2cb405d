/** Shown in status and the CLI. Kept here (not read from package.json) so the bundle needs no file access. */
export const APP_VERSION = '0.1.0';
