import { randomFillSync } from 'node:crypto';
import request from 'supertest';
import { ID_STORE_EVICTION_REASONS, METRICS } from '../../../spec/src/conventions';
import { loadSpec } from '../../../spec/src/load-spec';
import { IdArena } from '../../../exporter/src/joins/id-arena';
import { UUID_LOWER } from '../../../exporter/src/joins/id-key';
import { IdStore } from '../../../exporter/src/joins/id-store';
import {
  ID_STORE_SECTION,
  ID_STORE_SECTION_LAYOUT,
  idStoreSection,
} from '../../../exporter/src/joins/id-store-section';
import { FixedCounter } from '../../../exporter/src/metrics/fixed-counter';
import { SeriesLayout } from '../../../exporter/src/metrics/series-layout';
import { decodeInt32, decodeUint8 } from '../../../exporter/src/state/typed-array-codec';
import { arrayAt, objectAt } from '../../support/document';
import { defined } from '../../support/defined';
import { demoFeatures, removeAllJoins, writeDemoSpec } from '../../support/demo-spec';
import type { IngestBody } from '../../support/response-body';
import { buildTestExporter } from '../../support/test-exporter';

type Built = ReturnType<typeof buildTestExporter>;

function event(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    prediction_id: id,
    model: 'fraud',
    version: 'v1',
    features: demoFeatures(),
    prediction: 'fraud',
    ...overrides,
  };
}

async function ingest(built: Built, events: Record<string, unknown>[]): Promise<IngestBody> {
  const res = await request(built.app).post('/v1/events/predictions').send({ events }).expect(200);
  return res.body as IngestBody;
}

/** A snapshot of `built` as written to disk, through JSON as the file holds it. */
function snapshotOf(built: Built): unknown {
  return JSON.parse(JSON.stringify(built.state.capture(Date.now(), 'disk'))) as unknown;
}

function sectionOf(snapshot: unknown): Record<string, unknown> {
  return objectAt(snapshot, 'sections', ID_STORE_SECTION);
}

describe('the recent-id state section', () => {
  test('a snapshot round trip keeps every id with its version, class and time, oldest first', async () => {
    const before = buildTestExporter();
    await ingest(before, [event('a'), event('b', { version: 'v2', prediction: 'legit' })]);
    const after = buildTestExporter();
    expect(after.state.restore(snapshotOf(before), Date.now())).toEqual([]);
    const now = Date.now();
    expect(after.deps.ids.entries(now)).toEqual(before.deps.ids.entries(now));
    expect(after.deps.ids.entries(now).map((e) => [e.id, e.slot, e.classIndex])).toEqual([
      ['a', 0, 1],
      ['b', 1, 0],
    ]);
  });

  test('a batch retried after a restart is counted once', async () => {
    const before = buildTestExporter();
    await ingest(before, [event('r1'), event('r2')]);
    const after = buildTestExporter();
    after.state.restore(snapshotOf(before), Date.now());
    const body = await ingest(after, [event('r1'), event('r2'), event('r3')]);
    expect(body).toEqual({ accepted: 1, duplicates: 2, rejected: [] });
  });

  test('ids of a version no longer in the spec are dropped and reported; a class no longer in the model becomes none', async () => {
    const before = buildTestExporter();
    await ingest(before, [event('kept'), event('gone', { version: 'v2' })]);
    const snapshot = snapshotOf(before);
    // The snapshot was taken when the model had a class called "fraud" under another name.
    const fraudRow = objectAt(arrayAt(sectionOf(snapshot), 'versions')[0]);
    fraudRow['classes'] = ['legit', 'fraudulent'];
    const after = buildTestExporter({
      edit: (s) => {
        const model = objectAt(arrayAt(s, 'models')[0]);
        model['versions'] = [{ ...objectAt(arrayAt(model, 'versions')[0]), weight: 1 }];
        // Its canary judges v2 against v1: with v2 gone there is no canary.
        delete model['canary'];
      },
    });
    // The drift section reports the changed model for itself; this section reports the ids it dropped.
    expect(after.state.restore(snapshot, Date.now())).toContainEqual({
      reason: 'unknown_target',
      detail: '1 recent prediction ids of model fraud version v2 dropped: that version is no longer in the spec',
    });
    const kept = defined(after.deps.ids.get('kept', Date.now()), 'the kept id');
    expect(kept.classIndex).toBe(-1);
    expect(after.deps.ids.get('gone', Date.now())).toBeUndefined();
  });

  test('a smaller capacity keeps the newest ids; ids past the maximum age are not restored', async () => {
    const before = buildTestExporter();
    await ingest(before, [event('1'), event('2'), event('3')]);
    const smaller = buildTestExporter({
      edit: (s) => {
        // Nothing joins: with labels or outcomes the store keeps at least joins.capacity ids.
        removeAllJoins(s);
        objectAt(s, 'exporter')['recent_ids'] = { capacity: 2, max_age_seconds: null };
      },
    });
    smaller.state.restore(snapshotOf(before), Date.now());
    expect(smaller.deps.ids.entries(Date.now()).map((e) => e.id)).toEqual(['2', '3']);
    const aged = buildTestExporter({
      edit: (s) => {
        removeAllJoins(s);
        objectAt(s, 'exporter')['recent_ids'] = { capacity: 10, max_age_seconds: 60 };
      },
    });
    aged.state.restore(snapshotOf(before), Date.now() + 61_000);
    expect(aged.deps.ids.size).toBe(0);
  });

  test('a section of another layout is reported as unsupported and a malformed one as corrupt, never thrown', async () => {
    const before = buildTestExporter();
    await ingest(before, [event('x')]);
    const other = snapshotOf(before);
    sectionOf(other)['layout'] = ID_STORE_SECTION_LAYOUT + 1;
    expect(buildTestExporter().state.restore(other, Date.now())).toEqual([
      {
        reason: 'unsupported_version',
        detail: `section recent_ids: layout ${ID_STORE_SECTION_LAYOUT + 1}, this exporter reads layouts 1 and 2`,
      },
    ]);
    const short = snapshotOf(before);
    sectionOf(short)['times_ms'] = '';
    expect(buildTestExporter().state.restore(short, Date.now())).toEqual([
      { reason: 'corrupt', detail: 'section recent_ids: recent_ids.times_ms: expected 8 bytes of base64, got 0' },
    ]);
    const badIndex = snapshotOf(before);
    sectionOf(badIndex)['version_index'] = Buffer.from(new Int32Array([7]).buffer).toString('base64');
    expect(buildTestExporter().state.restore(badIndex, Date.now())).toEqual([
      { reason: 'corrupt', detail: 'section recent_ids: recent_ids.version_index[0]: 7 is not in versions' },
    ]);
  });

  test('a reload keeps the recent ids', async () => {
    const before = buildTestExporter();
    await ingest(before, [event('kept-over-reload')]);
    const next = buildTestExporter();
    expect(next.state.restore(before.state.capture(Date.now(), 'reload'), Date.now())).toEqual([]);
    expect(await ingest(next, [event('kept-over-reload')])).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
  });

  test('regression: a snapshot of 1,000,000 recent ids captures without building a string per id', () => {
    const count = 1_000_000;
    const evictions = new FixedCounter(
      METRICS.idStoreEvictionsTotal,
      'evictions',
      ID_STORE_EVICTION_REASONS.map((reason) => ({ reason })),
    );
    const store = new IdStore(count, null, evictions);
    // Random words, and the lowercase UUID of each four: the snapshot must hold these words.
    const expected = randomFillSync(new Int32Array(4 * count));
    // Every word's hex digits, most significant first (big-endian bytes), 32 digits an id.
    const hex = Buffer.from(expected.slice().buffer).swap32().toString('hex');
    for (let i = 0; i < count; i++) {
      const at = 32 * i;
      const id = `${hex.slice(at, at + 8)}-${hex.slice(at + 8, at + 12)}-${hex.slice(at + 12, at + 16)}-${hex.slice(at + 16, at + 20)}-${hex.slice(at + 20, at + 32)}`;
      store.claim(id, i & 1, i & 1, Number.NaN, i);
    }
    const section = idStoreSection(store, new SeriesLayout(loadSpec(writeDemoSpec().file).spec));
    const get = jest.spyOn(IdArena.prototype, 'get');
    const entries = jest.spyOn(IdStore.prototype, 'entries');
    try {
      const data = objectAt(section.capture(count));
      expect(get).not.toHaveBeenCalled();
      expect(entries).not.toHaveBeenCalled();
      expect(data['ids']).toBeUndefined();
      expect(data['count']).toBe(count);
      expect(data['out_of_line_ids']).toEqual([]);
      const words = decodeInt32(String(data['id_words']), 4 * count, 'id_words');
      expect(Buffer.from(words.buffer).equals(Buffer.from(expected.buffer))).toBe(true);
      const kinds = decodeUint8(String(data['id_kinds']), count, 'id_kinds');
      expect(kinds.every((kind) => kind === UUID_LOWER)).toBe(true);
    } finally {
      get.mockRestore();
      entries.mockRestore();
    }
  });
});
