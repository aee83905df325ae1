import pino from 'pino';
import { loadSpec } from '../../exporter/src/config/load-spec';
import { buildExporter, type BuiltExporter } from '../../exporter/src/runtime/build-exporter';
import { writeDemoSpec } from './demo-spec';

/** An in-process exporter on a temp copy of the demo spec; `random` fixes the traffic split and sampling. */
export function buildTestExporter(options: { edit?: Parameters<typeof writeDemoSpec>[0]; random?: () => number } = {}): BuiltExporter & { specFile: string; dir: string } {
  const { file, dir } = writeDemoSpec(options.edit);
  const built = buildExporter(loadSpec(file), {
    logger: pino({ level: 'silent' }),
    ...(options.random === undefined ? {} : { random: options.random }),
  });
  built.deps.readiness.ready = true;
  return { ...built, specFile: file, dir };
}
