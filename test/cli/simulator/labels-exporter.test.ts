import pino from 'pino';
import { startExporterServer } from '../../../exporter/src/runtime/exporter-server';
import { runSimulation } from '../../../cli/src/simulator/run-simulation';
import type { SimulationMode } from '../../../cli/src/simulator/simulation-options';
import { writeDemoSpec } from '../../support/demo-spec';
import { defined } from '../../support/defined';
import { objectAt } from '../../support/document';

/** The samples of `name` for model fraud, as [labels text, value] pairs. */
function samples(text: string, name: string): [string, number][] {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) && line.includes('model="fraud"'))
    .map((line) => [line.slice(0, line.lastIndexOf(' ')), Number(line.slice(line.lastIndexOf(' ') + 1))]);
}

describe.each<SimulationMode>(['ingest', 'predict'])('labels reaching a real exporter (%s mode)', (mode) => {
  test('the exporter joins every label, and its confusion matrix gives the accuracy the simulator measured', async () => {
    const { file } = writeDemoSpec((s) => {
      objectAt(s, 'models', 0)['quality'] = { accuracy_floor: 0.9, expected_delay_seconds: 60 };
    });
    const exporter = await startExporterServer({
      specFile: file,
      port: 0,
      host: '127.0.0.1',
      logToStdout: false,
      logger: pino({ level: 'silent' }),
    });
    try {
      const summary = await runSimulation({
        target: exporter.url,
        scenario: 'quality',
        mode,
        model: 'fraud',
        rate: 150,
        durationSeconds: 3,
        config: file,
        seed: 6,
        labelDelaySeconds: 0.3,
        labelCoverage: 0.8,
      });
      const labels = defined(summary.labels, 'labels');
      expect(labels.sent).toBeGreaterThan(100);
      expect(labels).toMatchObject({ accepted: labels.sent, duplicates: 0, unmatched: 0, rejected: 0, failed: 0 });

      const metrics = await (await fetch(`${exporter.url}/metrics`)).text();
      const confusion = samples(metrics, 'mlwatch_labels_total');
      const total = confusion.reduce((sum, [, v]) => sum + v, 0);
      const correct = confusion
        .filter(([series]) => /predicted="(\w+)"/.exec(series)?.[1] === /actual="(\w+)"/.exec(series)?.[1])
        .reduce((sum, [, v]) => sum + v, 0);
      expect(total).toBe(labels.accepted);
      expect(correct / total).toBeCloseTo(defined(labels.quality.accuracy, 'accuracy'), 10);
    } finally {
      await exporter.shutdown();
    }
  }, 30_000);
});
