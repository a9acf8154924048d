/** A port that was free a moment ago on loopback (the kernel's pick, above 32767). */
export declare function freePort(): Promise<number>;
/** n ports that were free a moment ago, all different. */
export declare function distinctFreePorts(n: number): Promise<number[]>;
/** n free ports below 32768, all different, for the Temporal server on PostgreSQL (a smallint in its schema). */
export declare function distinctLowFreePorts(n: number): Promise<number[]>;
/** Whether nothing listens on the loopback port (any more). */
export declare function portIsFree(port: number): Promise<boolean>;
