// The chaos run's view of the cluster topology (`npm run chaos -- --cluster`): the same faults as
// on one machine, each aimed at one instance of a pair, so the other carries on. A worker or API
// fault hits worker-1/api-1 and worker-2/api-2 in turn; a hard Temporal fault is a SIGKILL of the
// Temporal server, a soft one a fast shutdown of PostgreSQL underneath it.
import type { AppName } from '../support/system';
import type { ClusterSystem, Instance } from './cluster-system';

const PAIRS: Record<Exclude<AppName, 'simulator'>, readonly [Instance, Instance]> = {
  worker: ['worker-1', 'worker-2'],
  api: ['api-1', 'api-2'],
};

export class ClusterChaos {
  readonly simUrl: string;
  /** The first API; registers are spread over `apiUrls`. */
  readonly apiUrl: string;
  readonly apiUrls: readonly string[];
  readonly temporalAddress: string;
  readonly env: Readonly<Record<string, string>>;
  private readonly next: Record<Exclude<AppName, 'simulator'>, number> = { worker: 0, api: 0 };

  constructor(
    readonly system: ClusterSystem,
    private readonly log: (line: string) => void = () => undefined,
  ) {
    this.simUrl = system.simUrl;
    this.apiUrl = system.apiUrls[0];
    this.apiUrls = system.apiUrls;
    this.temporalAddress = system.temporalAddress;
    this.env = { TEMPORAL_TASK_QUEUE: system.taskQueue };
  }

  private target(app: AppName): Instance {
    if (app === 'simulator') return 'simulator';
    const pair = PAIRS[app];
    const instance = pair[this.next[app] % 2]!;
    this.next[app] += 1;
    this.log(`[chaos]   (cluster: ${instance}; the other ${app} carries on)`);
    return instance;
  }

  async killApp(app: AppName): Promise<void> {
    await this.system.killApp(this.target(app));
  }

  async stopApp(app: AppName): Promise<void> {
    await this.system.stopApp(this.target(app));
  }

  /** Starts every instance of the kind that is down. */
  async startApp(app: AppName): Promise<void> {
    for (const instance of app === 'simulator' ? (['simulator'] as const) : PAIRS[app]) {
      if (!this.system.isRunning(instance)) await this.system.startApp(instance);
    }
  }

  isRunning(app: AppName): boolean {
    return (app === 'simulator' ? (['simulator'] as const) : PAIRS[app]).every((i) => this.system.isRunning(i));
  }

  async killTemporal(): Promise<void> {
    this.log('[chaos]   (cluster: SIGKILL of the Temporal server)');
    await this.system.cluster.stopServer({ hard: true });
  }

  async stopTemporal(): Promise<void> {
    this.log('[chaos]   (cluster: PostgreSQL fast shutdown under the running Temporal server)');
    await this.system.cluster.stopPostgres('fast');
  }

  /** Starts PostgreSQL and the server, whichever is down. */
  async startTemporal(): Promise<void> {
    if (!this.system.cluster.isPostgresRunning()) await this.system.cluster.startPostgres();
    if (!this.system.cluster.isServerRunning()) await this.system.cluster.startServer();
  }

  isTemporalRunning(): boolean {
    return this.system.cluster.isServerRunning() && this.system.cluster.isPostgresRunning();
  }

  async stop(): Promise<void> {
    await this.system.stop();
  }
}
