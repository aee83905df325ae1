/** An alert as Alertmanager's v2 API shows it, with whether it is inhibited and by what. */
export interface AlertmanagerAlert {
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly status: {
    readonly state: 'active' | 'suppressed' | 'unprocessed';
    readonly inhibitedBy: readonly string[];
    readonly silencedBy: readonly string[];
  };
  readonly receivers: readonly { readonly name: string }[];
  readonly fingerprint: string;
}

/** Alerts Alertmanager holds now, inhibited ones included. */
export async function alertmanagerAlerts(url: string): Promise<AlertmanagerAlert[]> {
  const res = await fetch(`${url}/api/v2/alerts?active=true&silenced=true&inhibited=true`, {
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`Alertmanager /api/v2/alerts: HTTP ${res.status}`);
  return (await res.json()) as AlertmanagerAlert[];
}
