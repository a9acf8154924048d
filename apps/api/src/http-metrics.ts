/** Request counters in Prometheus text format; enough for dashboards until a metrics library earns its place. */
export class HttpMetrics {
  private readonly requests = new Map<string, number>();
  private readonly durations = new Map<string, { sum: number; count: number }>();
  private readonly startedAt = Date.now();

  observe(method: string, route: string, status: number, ms: number): void {
    const key = `method="${method}",route="${escape(route)}",status="${status}"`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    const dkey = `method="${method}",route="${escape(route)}"`;
    const d = this.durations.get(dkey) ?? { sum: 0, count: 0 };
    d.sum += ms / 1000;
    d.count += 1;
    this.durations.set(dkey, d);
  }

  render(): string {
    const lines = [
      '# HELP http_requests_total HTTP requests answered, by route and status.',
      '# TYPE http_requests_total counter',
      ...[...this.requests].map(([labels, n]) => `http_requests_total{${labels}} ${n}`),
      '# HELP http_request_duration_seconds Time to answer, by route.',
      '# TYPE http_request_duration_seconds summary',
      ...[...this.durations].flatMap(([labels, d]) => [
        `http_request_duration_seconds_sum{${labels}} ${d.sum}`,
        `http_request_duration_seconds_count{${labels}} ${d.count}`,
      ]),
      '# HELP process_uptime_seconds Seconds since the API started.',
      '# TYPE process_uptime_seconds gauge',
      `process_uptime_seconds ${(Date.now() - this.startedAt) / 1000}`,
    ];
    return `${lines.join('\n')}\n`;
  }
}

function escape(label: string): string {
  return label.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
