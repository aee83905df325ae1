import { chmodSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readSnapshotFile, writeSnapshotFile } from '../../../exporter/src/state/snapshot-file';
import type { SnapshotDocument } from '../../../exporter/src/state/snapshot-document';
import { decodeFloat64, decodeInt32, encodeFloat64, encodeInt32 } from '../../../exporter/src/state/typed-array-codec';

const DOCUMENT: SnapshotDocument = {
  format: 'mlwatch-state',
  version: 1,
  written_at: '2026-01-01T00:00:00.000Z',
  sections: { drift: { models: {} } },
};

function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'mlwatch-state-'));
}

describe('snapshot files', () => {
  test('a write creates the directory, replaces the previous file and leaves no temporary file', async () => {
    const dir = path.join(tempDir(), 'state');
    const file = path.join(dir, 'exporter-9420.snapshot.json');
    await writeSnapshotFile(file, { ...DOCUMENT, sections: { drift: { old: true } } });
    await writeSnapshotFile(file, DOCUMENT);
    expect(readdirSync(dir)).toEqual(['exporter-9420.snapshot.json']);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(DOCUMENT);
    expect(await readSnapshotFile(file)).toEqual({ kind: 'parsed', document: DOCUMENT });
  });

  test('a write that cannot happen throws naming the file, and the previous snapshot stays whole', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'snapshot.json');
    await writeSnapshotFile(file, DOCUMENT);
    chmodSync(dir, 0o500);
    try {
      // Root may write anywhere; the check only means something for other users.
      if (process.getuid?.() === 0) return;
      await expect(writeSnapshotFile(file, { ...DOCUMENT, sections: {} })).rejects.toThrow(
        `cannot write the state snapshot ${file}`,
      );
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(DOCUMENT);
    } finally {
      chmodSync(dir, 0o700);
    }
  });

  test('a missing file is the first start, not a failure', async () => {
    expect(await readSnapshotFile(path.join(tempDir(), 'none.json'))).toEqual({ kind: 'missing' });
  });

  test('a truncated file is corrupt, with the file named', async () => {
    const file = path.join(tempDir(), 'snapshot.json');
    writeFileSync(file, '{"format":"mlwatch-state","sec');
    const read = await readSnapshotFile(file);
    expect(read.kind).toBe('failed');
    if (read.kind !== 'failed') return;
    expect(read.problem.reason).toBe('corrupt');
    expect(read.problem.detail.startsWith(`${file}: `)).toBe(true);
  });

  test('typed arrays round-trip through base64, NaN and negative codes included, and a wrong length is refused', () => {
    const floats = Float64Array.from([1.5, Number.NaN, -0, 1e308]);
    const ints = Int32Array.from([-1, 0, 7, 2 ** 31 - 1]);
    expect(decodeFloat64(encodeFloat64(floats), 4, 'f')).toEqual(floats);
    expect(decodeInt32(encodeInt32(ints), 4, 'i')).toEqual(ints);
    expect(() => decodeInt32(encodeInt32(ints), 5, 'window.classes')).toThrow(
      'window.classes: expected 20 bytes of base64, got 16',
    );
  });
});

describe('regression: a snapshot of 1,000,000 recent ids is not stringified in one go', () => {
  test('strings over a MiB are written in slices, and the file parses to the document written', async () => {
    const file = path.join(tempDir(), 'snapshot.json');
    // Past a slice boundary: quotes, backslashes, control characters, a pair cut at 2^20, a lone surrogate.
    const awkward = `${'a'.repeat((1 << 20) - 1)}😀"\\\n\u0001${'é'.repeat(1 << 20)}\ud800${'z'.repeat(3)}`;
    const document: SnapshotDocument = {
      ...DOCUMENT,
      sections: {
        recent_ids: { layout: 2, id_words: 'QUJD'.repeat(700_000), other: awkward, small: 'x' },
        drift: { note: `${'q'.repeat(10)}:"0"` },
      },
    };
    const stringify = jest.spyOn(JSON, 'stringify');
    try {
      await writeSnapshotFile(file, document);
    } finally {
      stringify.mockRestore();
    }
    const longest = Math.max(...stringify.mock.results.map((result) => String(result.value).length));
    const whole = JSON.stringify(document);
    // No text near the whole document's size was ever built: the large strings went out in slices.
    expect(longest).toBeLessThan(whole.length / 2);
    // The same JSON value; the text differs only where a slice cut a surrogate pair (escaped as its two halves).
    const text = readFileSync(file, 'utf8');
    expect(text.replace('\\ud83d\\ude00', '😀')).toBe(whole);
    expect(await readSnapshotFile(file)).toEqual({ kind: 'parsed', document });
  });
});
