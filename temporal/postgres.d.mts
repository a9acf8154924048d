/** The folder with initdb, postgres, pg_isready and psql, or undefined when PostgreSQL is not installed. */
export declare function findPostgresBin(): Promise<string | undefined>;
/** Runs one SQL statement with psql over TCP on 127.0.0.1 and returns its unaligned output. */
export declare function psql(options: {
  binDir: string;
  port: number;
  user: string;
  password: string;
  database: string;
  sql: string;
}): Promise<string>;
