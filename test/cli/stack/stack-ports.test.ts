import { portsFromBase } from '../../../cli/src/stack/stack-ports';

describe('portsFromBase', () => {
  test('echoes the usual ports from the base: Prometheus +1, Alertmanager +3, slack-sink +5, node-exporter +10, Redis +15, exporters from +20', () => {
    expect(portsFromBase(19090, 2)).toEqual({
      prometheus: 19091,
      alertmanager: 19093,
      slackSink: 19095,
      nodeExporter: 19100,
      redis: 19105,
      exporters: [19110, 19111],
    });
  });

  test.each([[80], [65530], [1.5]])('refuses base %p, naming the valid range', (base) => {
    expect(() => portsFromBase(base, 1)).toThrow('base port: expected a whole number from 1024 to 65515');
  });
});
