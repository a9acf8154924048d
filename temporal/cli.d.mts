/** The pinned CLI version, e.g. "v1.5.1". */
export declare const TEMPORAL_CLI_VERSION: string;
/** Where the built CLI is cached for this user. */
export declare function cachedCliPath(): string;
/** Returns the absolute path of a usable `temporal` binary, building it with Go if needed. */
export declare function ensureTemporalCli(options?: { log?: (line: string) => void }): Promise<string>;
