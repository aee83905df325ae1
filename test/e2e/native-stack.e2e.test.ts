import { readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { alertingContext } from '../../alerting/src/alerting-context';
import { exporterDownForSeconds } from '../../alerting/src/alerts/exporter-alerts';
import { generationProfile, profileSeconds } from '../../alerting/src/generation-profile';
import { formatDuration } from '../../alerting/src/prometheus-duration';
import { loadSpec, type LoadedSpec } from '../../spec/src/load-spec';
import { ALERTS, DASHBOARD_UIDS, EXPORTER_JOB, METRICS, RECORDS } from '../../spec/src/conventions';
import { findScenario } from '../../cli/src/simulator/scenarios';
import { allDashboards } from '../../dashboards/src/dashboards';
import { panelQueries, type PanelQuery } from '../../dashboards/src/panel-queries';
import type { ReceivedMessage } from '../../cli/src/slack-sink/slack-inbox';
import { sinkReceiverName } from '../../cli/src/stack/stack-files';
import { startNativeStack, type NativeStack, type TrafficRun } from '../../cli/src/stack/native-stack';
import type { TrafficPlan } from '../../cli/src/stack/simulator-loop';
import { alertmanagerAlerts } from '../support/alertmanager-api';
import { REPO_ROOT, demoFeatures } from '../support/demo-spec';
import { defined } from '../support/defined';
import { eventually } from '../support/eventually';
import { freePorts } from '../support/free-ports';
import { PrometheusApi, expressionsWithoutSeries } from '../support/prometheus-api';
import { TOOLS, describeWithTools } from '../support/real-tools';
import { sinkMessages, titleOf } from '../support/slack-sink-api';
import { fleetPsiByFeature } from './fleet-psi';
import { variableValueSets } from '../support/dashboard-variables';

/**
 * Events per second to each of the two exporter replicas. Uneven on purpose: the fleet
 * rules must weigh replicas by their counts, which equal rates could not tell from averaging.
 */
const RATES = [150, 75] as const;
/** One drift run: a quarter normal, half drifting (ramping over its first half), a quarter recovering. */
const DRIFT_RUN_SECONDS = 160;
/** One errors run: 30% failed predictions in its middle half. */
const ERRORS_RUN_SECONDS = 40;
/** One quality run: the labels stop matching the inputs in its middle half (ramping over its first half). */
const QUALITY_RUN_SECONDS = 200;
/** One canary run: half the fraud traffic on v2, which converts a third worse (and is slower and fails more). */
const CANARY_RUN_SECONDS = 150;
/** Events per second of every model after the first (spend) to each replica, always normal traffic. */
const OTHER_MODELS_RATE = 15;
const ONCALL = sinkReceiverName('critical');
const TICKETS = sinkReceiverName('warning');
/** Tests in the suite, to know at the end whether all passed. */
const STEPS = 11;
const DRIFT_ALERTS = [
  ALERTS.featureDrift,
  ALERTS.datasetDrift,
  ALERTS.fleetFeatureDrift,
  ALERTS.predictionDrift,
  ALERTS.confidenceDrift,
];

const plan = (scenario: string, durationSeconds: number): TrafficPlan => ({
  scenario,
  durationSeconds,
  rates: RATES,
  others: { scenario: 'normal', rate: OTHER_MODELS_RATE },
});
const nowSeconds = () => Date.now() / 1000;
const at = (ms: number) => new Date(ms).toISOString().slice(11, 23);

describeWithTools(
  [TOOLS.prometheus, TOOLS.alertmanager, TOOLS.redis],
  'the native stack end to end (fast profile, two exporter replicas sharing a Redis join store, real Prometheus and Alertmanager)',
  () => {
    let stack: NativeStack;
    /** The stack once it has started: unset when beforeAll failed, so afterAll has nothing to stop. */
    let started: NativeStack | undefined;
    let prometheus: PrometheusApi;
    /** The spec the stack runs (the demo spec with the fast profile's timings, see stack-spec). */
    let loaded: LoadedSpec;
    let suiteStartMs: number;
    /** When the drift run began, for the checks after the fleet window has turned over. */
    let driftStartedAtMs: number | undefined;
    let passed = 0;
    /** A test of the suite; counts itself when it passes. */
    const step = (name: string, body: () => Promise<void>, timeoutMs: number): void => {
      test(
        name,
        async () => {
          await body();
          passed++;
        },
        timeoutMs,
      );
    };
    const fast = () => alertingContext(loaded.spec, generationProfile('fast', loaded.spec));
    /** A production duration as the fast profile runs it, in seconds. */
    const fastSeconds = (production: number) => profileSeconds(generationProfile('fast', loaded.spec), production);

    /** Rejects as soon as a part of the stack dies, instead of letting the test time out. */
    const unlessDied = <T>(promise: Promise<T>): Promise<T> =>
      Promise.race([promise, stack.died.then((reason) => Promise.reject(new Error(`the stack died: ${reason}`)))]);
    const messagesSince = async (sinceMs: number) =>
      (await sinkMessages(stack.slackSinkUrl)).filter((m) => m.receivedAtMs >= sinceMs);

    beforeAll(async () => {
      suiteStartMs = Date.now();
      const [prometheusPort, alertmanagerPort, slackSinkPort, nodeExporterPort, redisPort, ...exporters] =
        await freePorts(5 + RATES.length);
      stack = await startNativeStack({
        specFile: path.join(REPO_ROOT, 'mlwatch.yaml'),
        profile: 'fast',
        replicas: RATES.length,
        ports: {
          prometheus: defined(prometheusPort, 'a free port for Prometheus'),
          alertmanager: defined(alertmanagerPort, 'a free port for Alertmanager'),
          slackSink: defined(slackSinkPort, 'a free port for the slack-sink'),
          nodeExporter: defined(nodeExporterPort, 'a free port for node-exporter'),
          redis: defined(redisPort, 'a free port for Redis'),
          exporters,
        },
        traffic: plan('normal', 600),
      });
      started = stack;
      prometheus = new PrometheusApi(stack.prometheusUrl);
      loaded = loadSpec(stack.files.specFile);
      console.log(
        `native stack in ${stack.files.dir} (logs in ${stack.files.logDir}), started in ${((Date.now() - suiteStartMs) / 1000).toFixed(1)} s`,
      );
    }, 120_000);

    afterAll(async () => {
      await started?.stop();
      // The directory (config, data, logs) is kept when a step failed, for its logs.
      if (started !== undefined && passed === STEPS) rmSync(started.files.dir, { recursive: true, force: true });
      console.log(`end-to-end suite took ${((Date.now() - suiteStartMs) / 1000).toFixed(0)} s`);
    }, 60_000);

    step(
      'Prometheus scrapes every exporter replica (up == 1) and every rule evaluates healthy',
      async () => {
        const up = await unlessDied(
          eventually(
            'both exporter replicas up',
            async () => {
              const samples = await prometheus.query(`up{job="${EXPORTER_JOB}"} == 1`);
              return samples.length === RATES.length ? samples : undefined;
            },
            30_000,
          ),
        );
        expect(up.map((s) => s.metric['instance']).sort()).toEqual(
          stack.exporterUrls.map((u) => u.replace('http://', '')).sort(),
        );
        // A target is 'unknown' until its first scrape; then every one must be 'up'.
        const targets = await unlessDied(
          eventually(
            'every target scraped once',
            async () => {
              const all = await prometheus.targets();
              return all.every((t) => t.health !== 'unknown') ? all : undefined;
            },
            30_000,
          ),
        );
        expect(
          targets
            .filter((t) => t.health !== 'up')
            .map((t) => `${t.labels['job']} ${t.labels['instance']}: ${t.lastError}`),
        ).toEqual([]);
        expect(new Set(targets.map((t) => t.labels['job']))).toEqual(
          new Set([
            EXPORTER_JOB,
            'prometheus',
            'alertmanager',
            ...(stack.nodeExporterUrl === undefined ? [] : ['node']),
          ]),
        );

        // A rule is 'unknown' until its first evaluation; then every one must be 'ok'.
        const groups = await unlessDied(
          eventually(
            'every rule evaluated once',
            async () => {
              const all = await prometheus.ruleGroups();
              return all.every((g) => g.rules.every((r) => r.health !== 'unknown')) ? all : undefined;
            },
            30_000,
          ),
        );
        const unhealthy = groups.flatMap((g) =>
          g.rules.filter((r) => r.health !== 'ok').map((r) => `${g.name}/${r.name}: ${r.health} ${r.lastError ?? ''}`),
        );
        expect(unhealthy).toEqual([]);
        expect(groups.flatMap((g) => g.rules).length).toBeGreaterThan(30);
      },
      90_000,
    );

    step(
      'normal traffic for longer than a full window turnover raises no drift alert and sends nothing to Slack',
      async () => {
        // The slowest replica's exact window and the fleet window must both have turned over at least once.
        const exactTurnover = loaded.spec.drift.window_size / Math.min(...RATES);
        const fleetWindow = fastSeconds(loaded.spec.drift.fleet_window_seconds);
        const normalSeconds = Math.ceil(Math.max(exactTurnover, fleetWindow)) + 10;
        const remainingMs = suiteStartMs + normalSeconds * 1000 - Date.now();
        if (remainingMs > 0) await unlessDied(sleep(remainingMs));
        const lookback = Math.ceil((Date.now() - suiteStartMs) / 1000);
        const driftAlerts = await prometheus.query(
          `count_over_time(ALERTS{alertname=~"${DRIFT_ALERTS.join('|')}"}[${lookback}s])`,
        );
        expect(driftAlerts.map((s) => s.metric)).toEqual([]);
        const anyAlerts = await prometheus.query(
          `count_over_time(ALERTS{alertname!="${ALERTS.watchdog}", alertstate="firing"}[${lookback}s])`,
        );
        expect(anyAlerts.map((s) => s.metric)).toEqual([]);
        expect(await sinkMessages(stack.slackSinkUrl)).toEqual([]);
        // The windows did fill: the exact tier judged full windows and the fleet rules saw events.
        // The demo's classifier, at the plan's rates (the other models run slower and fill their windows later).
        const windowSamples = await prometheus.query(`min(${METRICS.driftWindowSamples}{model="fraud"})`);
        expect(windowSamples[0]?.value).toBe(loaded.spec.drift.window_size);
        expect((await prometheus.query(RECORDS.fleetPsi(fast().fleetWindow))).length).toBeGreaterThan(0);
      },
      150_000,
    );

    step(
      'labels: a label posted to the other replica than its prediction joins through the shared Redis store, and counts once whichever replica gets it again',
      async () => {
        expect(stack.redisUrl).toBeDefined();
        const [first, second] = stack.exporterUrls as [string, string];
        const write = readFileSync(stack.files.writeTokenFile, 'utf8').trim();
        const read = readFileSync(stack.files.readTokenFile, 'utf8').trim();
        const post = async (url: string, route: string, events: unknown[]): Promise<Record<string, unknown>> => {
          const res = await fetch(`${url}${route}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${write}` },
            body: JSON.stringify({ events }),
          });
          expect(res.status).toBe(200);
          return (await res.json()) as Record<string, unknown>;
        };
        /** mlwatch_label_events_total{result} summed over both replicas, read from the exporters themselves. */
        const labelEvents = async (result: string): Promise<number> => {
          let sum = 0;
          for (const url of stack.exporterUrls) {
            const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${read}` } })).text();
            const line = text.split('\n').find((l) => l.startsWith(`${METRICS.labelEventsTotal}{result="${result}"} `));
            sum += Number(defined(line, `${METRICS.labelEventsTotal}{result="${result}"} at ${url}`).split(' ')[1]);
          }
          return sum;
        };
        const ids = Array.from({ length: 50 }, (_, i) => `e2e-cross-replica-${suiteStartMs}-${i}`);
        const duplicatesBefore = await labelEvents('duplicate');
        const ingested = await post(
          first,
          '/v1/events/predictions',
          ids.map((id) => ({
            prediction_id: id,
            model: 'fraud',
            version: 'v1',
            features: demoFeatures(),
            prediction: 'fraud',
            confidence: 0.8,
          })),
        );
        expect(ingested).toMatchObject({ accepted: ids.length, duplicates: 0, rejected: [] });
        // The first replica writes its predictions to Redis in the background, within a turn of its event loop.
        await sleep(500);
        const labels = ids.map((id) => ({ prediction_id: id, label: 'fraud' }));
        // The second replica never saw these predictions: only the shared store can join them.
        expect(await post(second, '/v1/events/labels', labels)).toEqual({
          accepted: ids.length,
          duplicates: 0,
          unmatched: 0,
          rejected: [],
        });
        for (const url of [first, second]) {
          expect(await post(url, '/v1/events/labels', labels)).toEqual({
            accepted: 0,
            duplicates: ids.length,
            unmatched: 0,
            rejected: [],
          });
        }
        // The simulators never send a label twice: every duplicate counted since is one of these.
        expect((await labelEvents('duplicate')) - duplicatesBefore).toBe(2 * ids.length);
      },
      30_000,
    );

    step(
      "an exporter restarted faster than the down alert's for: raises no alert, and rates stay finite across the counter reset",
      async () => {
        const forSeconds = fastSeconds(exporterDownForSeconds(fast()));
        const instance = (stack.exporterUrls[0] as string).replace('http://', '');
        const { stopRequestedAtMs, readyAtMs } = await unlessDied(stack.restartExporter(0));
        const downSeconds = (readyAtMs - stopRequestedAtMs) / 1000;
        console.log(
          `exporter restart: down ${downSeconds.toFixed(2)} s (SIGTERM to /readyz), against the fast profile's exporter-down for: of ${forSeconds} s`,
        );
        expect(downSeconds).toBeLessThan(forSeconds);
        // Past the for: and a few evaluations more, nothing may have fired.
        await unlessDied(sleep((forSeconds + 5) * 1000));
        const start = stopRequestedAtMs / 1000 - 2;
        const end = nowSeconds();
        const fired = await prometheus.queryRange(
          `ALERTS{alertname!="${ALERTS.watchdog}", alertstate="firing"}`,
          start,
          end,
          1,
        );
        expect(fired.map((s) => s.metric)).toEqual([]);

        // Prometheus saw the counter start again from zero...
        const resets = await prometheus.query(
          `resets(${METRICS.predictionsTotal}{instance="${instance}", status="success"}[${Math.ceil(end - start)}s])`,
        );
        expect(resets.some((s) => s.value >= 1)).toBe(true);
        // ...and every rate across it stayed a finite, plausible number: no gap, no spike, no NaN.
        const window = fast().range('5m');
        for (const expr of [
          `sum(rate(${METRICS.predictionsTotal}{instance="${instance}"}[${window}]))`,
          RECORDS.modelPredictionRate,
          RECORDS.errorRatio('5m'),
        ]) {
          const series = await prometheus.queryRange(expr, start, end, 1);
          expect(series.length).toBeGreaterThan(0);
          const values = series.flatMap((s) => s.points.map(([, v]) => v));
          expect(values.filter((v) => !Number.isFinite(v) || v < 0)).toEqual([]);
          expect(Math.max(...values)).toBeLessThan(2 * RATES.reduce((a, b) => a + b, 0));
        }
      },
      90_000,
    );

    step(
      'drift: dataset and feature drift fire; Slack gets the page on-call, with absolute Runbook, Dashboard and Silence buttons that open, and the tickets in the alerts channel, feature warnings inhibited while the page fires, then a resolved message; a drifted feature notifies as one family (never also the fleet tier, lingering or not)',
      async () => {
        const run: TrafficRun = (await unlessDied(stack.setTraffic(plan('drift', DRIFT_RUN_SECONDS)))) as TrafficRun;
        const startedAtMs = await unlessDied(run.startedAtMs);
        const normalShare = findScenario('drift').phases[0]?.share as number;
        const onsetMs = startedAtMs + normalShare * DRIFT_RUN_SECONDS * 1000;

        // While waiting for the resolved page, look at Alertmanager for per-feature warnings held back by the page.
        let inhibitedFeatureWarnings: string[] = [];
        const resolved = await unlessDied(
          eventually(
            'a resolved dataset-drift message',
            async () => {
              if (inhibitedFeatureWarnings.length === 0) {
                const alerts = await alertmanagerAlerts(stack.alertmanagerUrl);
                const page = alerts.find(
                  (a) => a.labels['alertname'] === ALERTS.datasetDrift && a.status.state === 'active',
                );
                if (page !== undefined) {
                  inhibitedFeatureWarnings = alerts
                    .filter(
                      (a) =>
                        a.labels['alertname'] === ALERTS.featureDrift &&
                        a.labels['model'] === page.labels['model'] &&
                        a.status.state === 'suppressed' &&
                        a.status.inhibitedBy.includes(page.fingerprint),
                    )
                    .map((a) => a.labels['feature'] as string);
                }
              }
              return (await messagesSince(startedAtMs)).find(
                (m) => m.receiver === ONCALL && titleOf(m).startsWith(`[RESOLVED] ${ALERTS.datasetDrift}`),
              );
            },
            (DRIFT_RUN_SECONDS + 60) * 1000,
            500,
          ),
        );
        await stack.setTraffic(plan('normal', 600));
        const messages = (await messagesSince(startedAtMs)).filter((m) => m.receivedAtMs <= resolved.receivedAtMs);
        const page = messages.find(
          (m) => m.receiver === ONCALL && titleOf(m).startsWith(`[CRITICAL] ${ALERTS.datasetDrift}`),
        ) as ReceivedMessage;
        expect(page).toBeDefined();
        const first = messages[0] as ReceivedMessage;
        const afterOnset = (ms: number) => `${((ms - onsetMs) / 1000).toFixed(1)} s`;
        const recoveryAfterOnset = (findScenario('drift').phases[1]?.share as number) * DRIFT_RUN_SECONDS;
        console.log(
          `drift onset at ${at(onsetMs)}; first Slack payload ${afterOnset(first.receivedAtMs)} later (${first.receiver}: ${titleOf(first)}), ` +
            `dataset-drift page ${afterOnset(page.receivedAtMs)}, resolved ${afterOnset(resolved.receivedAtMs)} (recovery began at ${recoveryAfterOnset} s)`,
        );

        // Prometheus fired both alerts during the run.
        const lookback = `${Math.ceil(nowSeconds() - startedAtMs / 1000)}s`;
        for (const alertname of [ALERTS.datasetDrift, ALERTS.featureDrift]) {
          expect(
            await prometheus.query(
              `max_over_time(ALERTS{alertname="${alertname}", alertstate="firing", model="fraud"}[${lookback}])`,
            ),
          ).not.toEqual([]);
        }

        // The page: Slack's format, on-call's channel, naming the alert, the model and a drifted feature.
        const slack = loaded.spec.notifications?.slack;
        expect(slack).toBeDefined();
        expect(page.message.channel).toBe(slack?.critical?.channel);
        expect(page.message.attachments[0]).toMatchObject({
          color: 'danger',
          title: `[CRITICAL] ${ALERTS.datasetDrift} · model fraud`,
        });
        const featureNames = loaded.spec.models[0]?.features.map((f) => f.name) ?? [];
        expect(featureNames.filter((f) => page.message.attachments[0]?.text?.includes(f))).toEqual(
          expect.arrayContaining(['amount']),
        );
        expect(resolved.message.attachments[0]).toMatchObject({
          color: 'good',
          title: `[RESOLVED] ${ALERTS.datasetDrift} · model fraud`,
        });

        // Links that open: absolute, the runbook served by a running exporter without a token, the
        // dashboard with the model selected, the silence form of this stack's Alertmanager prefilled.
        const attachment = defined(page.message.attachments[0], "the page's attachment");
        const buttons = (attachment.actions ?? []).map((a) => [a.type, a.text, a.url]);
        const runbook = `${stack.exporterUrls[0] as string}/runbooks/${ALERTS.datasetDrift}`;
        const dashboard = `${loaded.spec.links.grafana_url}/d/${DASHBOARD_UIDS.modelDrift}?var-model=fraud`;
        expect(buttons).toEqual([
          ['button', 'Runbook', runbook],
          ['button', 'Dashboard', dashboard],
          ['button', 'Silence', expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/#\/silences\/new\?filter=%7B/)],
        ]);
        const silence = buttons[2]?.[2] as string;
        expect(silence.startsWith(`${stack.alertmanagerUrl}/#/silences/new?filter=`)).toBe(true);
        expect(decodeURIComponent(silence.split('filter=')[1] as string)).toBe(
          `{alertname="${ALERTS.datasetDrift}", model="fraud", severity="critical"}`,
        );
        expect(attachment.title_link).toBe(dashboard);
        expect(attachment.fallback).toBe(`[CRITICAL] ${ALERTS.datasetDrift} · model fraud · runbook: ${runbook}`);
        expect(attachment.fallback).not.toContain(os.hostname());
        const opened = await fetch(runbook);
        expect([opened.status, await opened.text()]).toEqual([
          200,
          expect.stringContaining(`<h2>${ALERTS.datasetDrift}</h2>`),
        ]);
        // Every message's buttons are absolute http(s) links.
        for (const m of messages)
          for (const action of m.message.attachments[0]?.actions ?? [])
            expect([titleOf(m), action.text, /^https?:\/\/[^/]/.test(action.url ?? '')]).toEqual([
              titleOf(m),
              action.text,
              true,
            ]);

        // Every message went to the receiver of its severity, in that receiver's channel.
        for (const m of messages) {
          const colour = m.message.attachments[0]?.color;
          if (m.receiver === ONCALL)
            expect([m.message.channel, colour, titleOf(m)]).toEqual([
              slack?.critical?.channel,
              expect.stringMatching(/^(danger|good)$/),
              expect.stringMatching(/^\[(CRITICAL|RESOLVED)\]/),
            ]);
          else
            expect([m.receiver, m.message.channel, colour, titleOf(m)]).toEqual([
              TICKETS,
              slack?.warning?.channel,
              expect.stringMatching(/^(warning|good)$/),
              expect.stringMatching(/^\[(WARNING|RESOLVED)\]/),
            ]);
        }
        const tickets = messages.filter((m) => m.receiver === TICKETS && titleOf(m).startsWith('[WARNING]'));
        expect(tickets.map(titleOf).filter((t) => t.includes(`${ALERTS.featureDrift} `))).not.toEqual([]);

        // Inhibition: Alertmanager held the per-feature warnings back while the page fired, and none reached Slack then.
        expect(inhibitedFeatureWarnings.length).toBeGreaterThan(0);
        const groupIntervalMs = fastSeconds(300) * 1000;
        const whilePaging = tickets.filter(
          (m) => m.receivedAtMs > page.receivedAtMs + 1000 && m.receivedAtMs < resolved.receivedAtMs - groupIntervalMs,
        );
        expect(whilePaging.map(titleOf).filter((t) => t.includes(`${ALERTS.featureDrift} `))).toEqual([]);

        // One page per problem: the fleet tier saw the drift too, but never fired beside the exact tier.
        const psiThreshold = loaded.spec.drift.thresholds.psi;
        const fleetPsi = RECORDS.fleetPsi(fast().fleetWindow);
        expect(
          await prometheus.query(`max_over_time(max(${fleetPsi}{model="fraud"})[${lookback}:1s]) > ${psiThreshold}`),
        ).not.toEqual([]);
        driftStartedAtMs = startedAtMs;
      },
      (DRIFT_RUN_SECONDS + 120) * 1000,
    );

    step(
      'dashboards: every panel expression of every generated dashboard, variables substituted, returns at least one series after the drift scenario',
      async () => {
        const dashboards = allDashboards(loaded.spec);
        // One pass per task kind the spec has: a classifier's rows read its model, a regression model's rows its own.
        const passes = variableValueSets(loaded.spec).map((values) => panelQueries(dashboards, values));
        const queries = defined(passes[0], 'the panel queries of the first task kind');
        // Host panels read node-exporter, which the native stack runs only where it is installed; CI installs it.
        if (process.env['CI'] === 'true') expect(stack.nodeExporterUrl).toBeDefined();
        // The week-over-week panels read a week back (a week / 60 in the fast profile): longer than the stack has run.
        const wanted = (q: PanelQuery) =>
          (stack.nodeExporterUrl !== undefined || !q.needsNodeExporter) && !q.needsLastWeek;
        const checked = queries.filter(wanted);
        console.log(
          `dashboards: ${checked.length} of ${queries.length} panel queries checked over ${passes.length} task kind(s), ${queries.filter((q) => q.needsLastWeek).length} reading last week left out${queries.some((q) => q.needsNodeExporter && !wanted(q)) ? ' (node-exporter not installed: host panels left out)' : ''}`,
        );
        expect(checked.length).toBeGreaterThan(40);
        const all = passes.flatMap((pass) => pass.filter(wanted));
        const empty = new Set(
          await unlessDied(expressionsWithoutSeries(prometheus, [...new Set(all.map((q) => q.expr))])),
        );
        // A query passes when it returns series for the model of at least one task kind.
        const key = (q: PanelQuery) => `${q.dashboard} / ${q.panel} ${q.refId}`;
        const answered = new Set(all.filter((q) => !empty.has(q.expr)).map(key));
        expect(checked.filter((q) => !answered.has(key(q))).map((q) => `${key(q)}: ${q.expr}`)).toEqual([]);
      },
      60_000,
    );

    step(
      'fleet: the PSI recording rule over both replicas equals PSI computed here from the per-replica increase() values',
      async () => {
        const window = fast().fleetWindow;
        const range = fast().range(window);
        // Recent evaluation timestamps of the rule, leaving out the newest so that every query sees stored data.
        const recorded = await prometheus.rawSamples(`${RECORDS.fleetPsi(window)}[15s]`, nowSeconds());
        const times = [...new Set(recorded.flatMap((s) => s.points.map(([t]) => t)))]
          .sort((a, b) => a - b)
          .slice(0, -2);
        expect(times.length).toBeGreaterThan(5);

        const comparisons = await Promise.all(times.map((time) => compareFleetPsi(time, window, range)));
        // Prometheus 2.42 has no rule query offset: an evaluation can run before a scrape stamped just
        // before it is stored, and then saw fewer samples than a later query does. The fleet event
        // count, recorded in the same evaluation just before the shares, tells which evaluations saw
        // exactly what the queries see; those must agree.
        const complete = comparisons.filter((c) => c.eventsGap < 1e-9);
        const describe = (c: (typeof comparisons)[number]) =>
          `${new Date(c.time * 1000).toISOString()}: largest gap ${c.largestGap.toExponential(1)} (${c.summary})`;
        console.log(
          `fleet PSI, ${complete.length} of ${comparisons.length} evaluations saw every stored sample; ${complete.map(describe)[0] ?? comparisons.map(describe).join('; ')}`,
        );
        expect(complete.length).toBeGreaterThan(0);
        for (const c of complete) {
          expect(c.features.rule).toEqual(c.features.computed);
          expect(c.badGaps).toEqual([]);
        }
        // The window still holds the drift, so this compared real shifts, not zeros.
        expect(Math.max(...complete.map((c) => c.largestPsi))).toBeGreaterThan(loaded.spec.drift.thresholds.psi);
      },
      60_000,
    );

    /** The recorded fleet PSI at one evaluation next to PSI computed from the replicas' increase() there. */
    async function compareFleetPsi(time: number, window: string, range: string) {
      const byFeature = (samples: { metric: Record<string, string>; value: number }[]) =>
        new Map(samples.map((s) => [s.metric['feature'] as string, s.value]));
      // One model: feature names are per model (fraud and spend share some), and so are the bins.
      const fraud = 'model="fraud"';
      const rule = byFeature(await prometheus.query(`${RECORDS.fleetPsi(window)}{${fraud}}`, time));
      const ruleEvents = byFeature(await prometheus.query(`${RECORDS.fleetEvents(window)}{${fraud}}`, time));
      const bins = await prometheus.query(
        `increase(${METRICS.featureBinTotal}{job="${EXPORTER_JOB}", ${fraud}}[${range}])`,
        time,
      );
      const categories = await prometheus.query(
        `increase(${METRICS.featureCategoryTotal}{job="${EXPORTER_JOB}", ${fraud}}[${range}])`,
        time,
      );
      const references = await prometheus.query(
        `${METRICS.featureReferenceRatio}{job="${EXPORTER_JOB}", ${fraud}}`,
        time,
      );
      expect(new Set(bins.map((s) => s.metric['instance'])).size).toBe(RATES.length);
      const computed = new Map([
        ...fleetPsiByFeature(bins, references, 'bin'),
        ...fleetPsiByFeature(categories, references, 'category'),
      ]);
      const events = new Map<string, number>();
      for (const s of [...bins, ...categories])
        events.set(s.metric['feature'] as string, (events.get(s.metric['feature'] as string) ?? 0) + s.value);
      const eventsGap = Math.max(
        ...[...ruleEvents].map(([feature, count]) => Math.abs(count - (events.get(feature) ?? NaN)) / count),
      );
      const gaps = [...rule].map(([feature, value]) => ({
        feature,
        rule: value,
        computed: computed.get(feature),
        gap: Math.abs(value - (computed.get(feature) ?? NaN)),
      }));
      return {
        time,
        eventsGap: Number.isNaN(eventsGap) ? Infinity : eventsGap,
        features: { rule: [...rule.keys()].sort(), computed: [...computed.keys()].sort() },
        badGaps: gaps.filter((g) => !(g.gap < 1e-9)),
        largestGap: Math.max(...gaps.map((g) => g.gap)),
        largestPsi: Math.max(...rule.values()),
        summary: gaps.map((g) => `${g.feature} ${g.rule.toFixed(4)}`).join(', '),
      };
    }

    step(
      'one page per problem: once the fleet window has turned over after the drift, no fleet-tier alert fired or reached Slack for it',
      async () => {
        const startedAtMs = defined(driftStartedAtMs, 'the drift run start');
        const psiThreshold = loaded.spec.drift.thresholds.psi;
        const fleetPsi = RECORDS.fleetPsi(fast().fleetWindow);
        await unlessDied(
          eventually(
            'the fleet PSI back under its threshold',
            async () =>
              (await prometheus.query(`max(${fleetPsi}{model="fraud"}) > ${psiThreshold}`)).length === 0
                ? true
                : undefined,
            (fastSeconds(loaded.spec.drift.fleet_window_seconds) + 60) * 1000,
            1000,
          ),
        );
        // The lingering window had its for: to fire in, had it been allowed to.
        await sleep(fastSeconds(loaded.spec.alerts.for_seconds.fleet_drift) * 1000 + 2000);
        const lookback = `${Math.ceil(nowSeconds() - startedAtMs / 1000)}s`;
        expect(
          await prometheus.query(`max_over_time(ALERTS{alertname="${ALERTS.fleetFeatureDrift}"}[${lookback}])`),
        ).toEqual([]);
        expect(
          (await messagesSince(startedAtMs)).map(titleOf).filter((t) => t.includes(ALERTS.fleetFeatureDrift)),
        ).toEqual([]);
      },
      180_000,
    );

    step(
      'errors: the availability budget burn pages on-call; its ticket form is inhibited by the page and never reaches the alerts channel',
      async () => {
        const sinceMs = Date.now();
        await unlessDied(stack.setTraffic(plan('errors', ERRORS_RUN_SECONDS)));
        const page = await unlessDied(
          eventually(
            'an availability burn page',
            async () =>
              (await messagesSince(sinceMs)).find((m) =>
                titleOf(m).startsWith(`[CRITICAL] ${ALERTS.availabilityBudgetBurn}`),
              ),
            (ERRORS_RUN_SECONDS + 30) * 1000,
            500,
          ),
        );
        expect(page.receiver).toBe(ONCALL);
        expect(page.message.channel).toBe(loaded.spec.notifications?.slack?.critical?.channel);
        expect(page.message.attachments[0]).toMatchObject({
          color: 'danger',
          title: `[CRITICAL] ${ALERTS.availabilityBudgetBurn} · model fraud`,
        });

        // The warning form fires after its longer for: and is held back by the page with the same name and model.
        const ticket = await unlessDied(
          eventually(
            'the burn-rate warning, inhibited',
            async () => {
              const alerts = await alertmanagerAlerts(stack.alertmanagerUrl);
              const critical = alerts.find(
                (a) => a.labels['alertname'] === ALERTS.availabilityBudgetBurn && a.labels['severity'] === 'critical',
              );
              return alerts.find(
                (a) =>
                  a.labels['alertname'] === ALERTS.availabilityBudgetBurn &&
                  a.labels['severity'] === 'warning' &&
                  critical !== undefined &&
                  a.status.inhibitedBy.includes(critical.fingerprint),
              );
            },
            (fastSeconds(loaded.spec.alerts.for_seconds.burn_rate_warning) + 30) * 1000,
            500,
          ),
        );
        expect(ticket.status.state).toBe('suppressed');
        await unlessDied(sleep(fastSeconds(300) * 1000 + 1000));
        const burnTickets = (await messagesSince(sinceMs)).filter(
          (m) => m.receiver === TICKETS && titleOf(m).includes(ALERTS.availabilityBudgetBurn),
        );
        expect(burnTickets.map(titleOf)).toEqual([]);
        await stack.setTraffic(plan('normal', 600));
      },
      (ERRORS_RUN_SECONDS + 120) * 1000,
    );

    step(
      'quality: when the labels stop matching the inputs (concept drift), the accuracy alert reaches the alerts channel while no drift alert fires',
      async () => {
        const sinceMs = Date.now();
        const run: TrafficRun = (await unlessDied(
          stack.setTraffic(plan('quality', QUALITY_RUN_SECONDS)),
        )) as TrafficRun;
        const startedAtMs = await unlessDied(run.startedAtMs);
        const normalShare = findScenario('quality').phases[0]?.share as number;
        const onsetMs = startedAtMs + normalShare * QUALITY_RUN_SECONDS * 1000;
        const ticket = await unlessDied(
          eventually(
            'an accuracy ticket',
            async () =>
              (await messagesSince(sinceMs)).find((m) => titleOf(m).startsWith(`[WARNING] ${ALERTS.accuracyLow}`)),
            (QUALITY_RUN_SECONDS + 30) * 1000,
            500,
          ),
        );
        console.log(
          `concept drift onset at ${at(onsetMs)}; accuracy ticket ${((ticket.receivedAtMs - onsetMs) / 1000).toFixed(1)} s later (${titleOf(ticket)})`,
        );
        expect(ticket.receiver).toBe(TICKETS);
        expect(ticket.message.channel).toBe(loaded.spec.notifications?.slack?.warning?.channel);
        expect(titleOf(ticket)).toContain('model fraud');
        // The inputs never moved: no drift alert fired and nothing about drift reached Slack.
        const lookback = `${Math.ceil(nowSeconds() - sinceMs / 1000)}s`;
        expect(
          (
            await prometheus.query(
              `max_over_time(ALERTS{alertname=~"${DRIFT_ALERTS.join('|')}", alertstate="firing"}[${lookback}])`,
            )
          ).map((sample) => sample.metric),
        ).toEqual([]);
        expect(
          (await messagesSince(sinceMs)).map(titleOf).filter((t) => DRIFT_ALERTS.some((a) => t.includes(a))),
        ).toEqual([]);
        await stack.setTraffic(plan('normal', 600));
      },
      (QUALITY_RUN_SECONDS + 60) * 1000,
    );
    step(
      'canary: when v2 converts worse than v1, the conversion rule shows v2 below v1 and the canary alert for v2 on conversion pages on-call',
      async () => {
        const sinceMs = Date.now();
        const run: TrafficRun = (await unlessDied(stack.setTraffic(plan('canary', CANARY_RUN_SECONDS)))) as TrafficRun;
        const startedAtMs = await unlessDied(run.startedAtMs);
        const outcomes = defined(loaded.spec.models[0]?.outcomes, "the fraud model's outcomes");
        const conversionRate = RECORDS.outcomeRate(formatDuration(defined(outcomes.windows_seconds[0], 'a window')));
        // The rule, not the simulator's tally: v1 and v2 convert alike in normal traffic, so v2 well below v1 is the scenario.
        const rates = await unlessDied(
          eventually(
            'v2 converting below v1 in the conversion rule',
            async () => {
              const samples = await prometheus.query(`${conversionRate}{model="fraud", event="checkout"}`);
              const byVersion = new Map(samples.map((sample) => [sample.metric['version'], sample.value]));
              const [v1, v2] = [byVersion.get('v1'), byVersion.get('v2')];
              return v1 !== undefined && v2 !== undefined && v2 < 0.85 * v1 ? { v1, v2 } : undefined;
            },
            CANARY_RUN_SECONDS * 1000,
            1000,
          ),
        );
        const page = await unlessDied(
          eventually(
            'a canary page naming the conversion signal',
            async () =>
              (await messagesSince(sinceMs)).find(
                (m) =>
                  titleOf(m).startsWith(`[CRITICAL] ${ALERTS.canaryWorse}`) &&
                  JSON.stringify(m.message).includes('does worse than v1 on conversion'),
              ),
            CANARY_RUN_SECONDS * 1000,
            500,
          ),
        );
        console.log(
          `canary run from ${at(startedAtMs)}: checkouts per prediction v1 ${rates.v1.toFixed(3)}, v2 ${rates.v2.toFixed(3)}; canary page on conversion ${((page.receivedAtMs - startedAtMs) / 1000).toFixed(1)} s after the start`,
        );
        expect(page.receiver).toBe(ONCALL);
        expect(titleOf(page)).toContain('model fraud');
        const alerts = await alertmanagerAlerts(stack.alertmanagerUrl);
        expect(
          alerts
            .filter((a) => a.labels['alertname'] === ALERTS.canaryWorse && a.labels['signal'] === 'conversion')
            .map((a) => [a.labels['version'], a.labels['baseline']]),
        ).toEqual([['v2', 'v1']]);
        await stack.setTraffic(plan('normal', 600));
      },
      (2 * CANARY_RUN_SECONDS + 30) * 1000,
    );
  },
);
