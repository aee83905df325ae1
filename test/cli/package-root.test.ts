import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { demoSpecFile, describeDemoSpec, packageRoot } from '../../cli/src/package-root';

describe('demoSpecFile', () => {
  test('--config wins; else ./mlwatch.yaml; else the demo spec shipped in the package', () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'mlwatch-cwd-'));
    expect(demoSpecFile('mine.yaml', empty)).toEqual({ file: 'mine.yaml', shipped: false });
    const shipped = demoSpecFile(undefined, empty);
    expect(shipped).toEqual({ file: path.join(packageRoot(), 'mlwatch.yaml'), shipped: true });
    expect(describeDemoSpec(shipped)).toContain('(the demo spec shipped with mlwatch; --config names yours)');
    writeFileSync(path.join(empty, 'mlwatch.yaml'), '');
    expect(demoSpecFile(undefined, empty)).toEqual({ file: 'mlwatch.yaml', shipped: false });
  });
});
