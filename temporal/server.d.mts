/** The Temporal server version built, the one inside the pinned CLI. */
export declare const TEMPORAL_SERVER_VERSION: string;
/** Where the built binaries are cached for this user. */
export declare function cachedServerDir(): string;
/** temporal-server, temporal-sql-tool and temporal-ui-server, built with Go into the cache when missing. */
export declare function ensureTemporalServer(options?: {
  log?: (line: string) => void;
}): Promise<{ server: string; sqlTool: string; uiServer: string }>;
