import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { redisArgs, stackUsesRedis, waitRedisReady } from '../../../cli/src/stack/redis-part';
import { simulatorArgs } from '../../../cli/src/stack/part-commands';
import { writeStackFiles, type StackFiles } from '../../../cli/src/stack/stack-files';
import { SupervisedProcess } from '../../../cli/src/stack/supervised-process';
import { loadSpec } from '../../../spec/src/load-spec';
import { REPO_ROOT, loadEditedDemoSpec } from '../../support/demo-spec';
import { arrayAt, objectAt } from '../../support/document';
import { freePorts } from '../../support/free-ports';
import { TOOLS, describeWithTools } from '../../support/real-tools';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mlwatch-redis-part-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the stack and the shared label join store', () => {
  test('several replicas taking labels share a Redis; one replica, or a spec without labels, keeps the memory store', () => {
    const labelled = loadEditedDemoSpec(() => undefined).spec;
    const unlabelled = loadEditedDemoSpec((spec) => {
      for (const model of arrayAt(spec, 'models')) delete objectAt(model)['quality'];
    }).spec;
    expect(stackUsesRedis(labelled, 2)).toBe(true);
    expect(stackUsesRedis(labelled, 1)).toBe(false);
    expect(stackUsesRedis(unlabelled, 2)).toBe(false);
    expect(redisArgs(6400)).toEqual(['--port', '6400', '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
  });

  test("the stack's spec joins through the stack's Redis; without one it keeps the user's joins", () => {
    const targets = {
      exporters: ['127.0.0.1:4001', '127.0.0.1:4002'],
      alertmanager: '127.0.0.1:4003',
      prometheus: '127.0.0.1:4004',
    };
    const write = (sub: string, redisUrl?: string): StackFiles =>
      writeStackFiles(path.join(dir, sub), {
        sourceSpec: path.join(REPO_ROOT, 'mlwatch.yaml'),
        profile: 'fast',
        targets,
        slackSinkUrl: 'http://127.0.0.1:4005',
        links: { publicUrl: 'http://127.0.0.1:4001', alertmanagerUrl: 'http://127.0.0.1:4003' },
        ...(redisUrl === undefined ? {} : { redisUrl }),
      });
    const shared = loadSpec(write('shared', 'redis://127.0.0.1:4006').specFile).spec;
    expect(shared.joins.store).toBe('redis');
    expect(shared.joins.redis.url).toBe('redis://127.0.0.1:4006');
    const single = write('single');
    expect(loadSpec(single.specFile).spec.joins.store).toBe('memory');
    expect(objectAt(yaml.load(readFileSync(single.specFile, 'utf8')))).not.toHaveProperty('joins');
  });

  test("a simulator drives the model it is given, and the spec's first without one", () => {
    const files = { specFile: 'spec.yaml', writeTokenFile: 'token' } as StackFiles;
    const run = { scenario: 'normal', durationSeconds: 60, rate: 10, seed: 1 };
    expect(simulatorArgs(files, 'http://x', { ...run, model: 'spend' }).join(' ')).toContain('--model spend');
    expect(simulatorArgs(files, 'http://x', run)).not.toContain('--model');
  });
});

describeWithTools([TOOLS.redis], 'waitRedisReady against a real redis-server', () => {
  test('resolves once redis-server answers PING, and names the exit when it dies before', async () => {
    const [port, busy] = await freePorts(2);
    const start = (name: string, args: string[]) =>
      new SupervisedProcess({ name, command: 'redis-server', args, logFile: path.join(dir, `${name}.log`) });
    const redis = start('redis', redisArgs(port as number));
    try {
      await waitRedisReady(redis, port as number, 10_000);
    } finally {
      await redis.stop();
    }
    // Bad arguments: the server exits at once, and the wait says so instead of timing out.
    const broken = start('broken', ['--port', String(busy), '--no-such-option', 'x']);
    await expect(waitRedisReady(broken, busy as number, 10_000)).rejects.toThrow(
      'redis-server exited before answering PING',
    );
  }, 30_000);
});
