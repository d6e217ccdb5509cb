/** The SDK's console output, prefixed so that hosts can tell (and filter) it. */
export const PREFIX = '[session-metrics]';

export const warn = (...a: unknown[]): void => console.warn(PREFIX, ...a);
