export interface TestServer {
  address: string;
  namespace: string;
  /** Stops the server and deletes its data. */
  stop(): Promise<void>;
}

/** Starts a headless dev server on a free port in a fresh temp dir. */
export declare function startTestServer(options?: {
  namespace?: string;
  log?: (line: string) => void;
}): Promise<TestServer>;
