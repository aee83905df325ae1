import request from 'supertest';
import { ID_STORE_SECTION } from '../../../exporter/src/joins/id-store-section';
import { LABELLED_ID_SECTION } from '../../../exporter/src/joins/labelled-id-section';
import { decodeInt32, decodeUint8 } from '../../../exporter/src/state/typed-array-codec';
import { objectAt } from '../../support/document';
import { fraudEvent, ingestPredictions, sampleOf, withLabels, type LabelsBody } from '../../support/labels-spec';
import { buildTestExporter } from '../../support/test-exporter';

type Built = ReturnType<typeof buildTestExporter>;

/** A snapshot of `built` as written to disk, through JSON as the file holds it. */
function snapshotOf(built: Built): Record<string, unknown> {
  return JSON.parse(JSON.stringify(built.state.capture(Date.now(), 'disk'))) as Record<string, unknown>;
}

async function label(built: Built, events: unknown[]): Promise<LabelsBody> {
  return (await request(built.app).post('/v1/events/labels').send({ events }).expect(200)).body as LabelsBody;
}

async function labelledExpected(built: Built, predicted: string, actual: string): Promise<number | undefined> {
  const text = (await request(built.app).get('/metrics').expect(200)).text;
  return sampleOf(
    text,
    `mlwatch_labelled_expected_labels_total{model="fraud",version="v1",predicted="${predicted}",actual="${actual}"}`,
  );
}

describe('the labelled ids and confidences across a restart', () => {
  test('a snapshot keeps which predictions were labelled and each prediction’s raw confidence', async () => {
    const before = buildTestExporter({ edit: withLabels(), uncalibrated: true });
    await ingestPredictions(before, [fraudEvent('p1', { confidence: 0.75 }), fraudEvent('p2', { confidence: 0.625 })]);
    expect(await label(before, [{ prediction_id: 'p1', label: 'fraud' }])).toMatchObject({ accepted: 1 });
    expect(
      await label(before, [
        { prediction_id: 's1', label: 'fraud', model: 'fraud', version: 'v1', prediction: 'legit' },
      ]),
    ).toMatchObject({ accepted: 1 });
    const snapshot = snapshotOf(before);
    // Two ids of two bytes each, packed (layout 2): no string per id in the snapshot.
    const section = objectAt(snapshot, 'sections', LABELLED_ID_SECTION);
    expect(section['count']).toBe(2);
    expect(section['ids']).toBeUndefined();
    expect(decodeUint8(String(section['id_kinds']), 2, 'id_kinds')).toEqual(Uint8Array.from([2, 2]));
    expect(Array.from(decodeInt32(String(section['id_words']), 8, 'id_words'))).toEqual([
      0x3170, 0, 0, 0, 0x3173, 0, 0, 0,
    ]);

    const after = buildTestExporter({ edit: withLabels(), uncalibrated: true });
    expect(after.state.restore(snapshot, Date.now())).toEqual([]);
    expect(
      await label(after, [
        { prediction_id: 'p1', label: 'legit' },
        { prediction_id: 's1', label: 'fraud', model: 'fraud', version: 'v1', prediction: 'legit' },
        { prediction_id: 'p2', label: 'legit' },
      ]),
    ).toEqual({ accepted: 1, duplicates: 2, unmatched: 0, rejected: [] });
    // p2's expected row came from its confidence, restored from the snapshot.
    expect(await labelledExpected(after, 'fraud', 'fraud')).toBe(0.625);
    expect(await labelledExpected(after, 'fraud', 'legit')).toBe(0.375);
  });

  test('a recent-id section written before confidences were kept restores them as unknown', async () => {
    const before = buildTestExporter({ edit: withLabels() });
    await ingestPredictions(before, [fraudEvent('p1', { confidence: 0.75 })]);
    const snapshot = snapshotOf(before);
    delete objectAt(snapshot, 'sections', ID_STORE_SECTION)['confidences'];
    const after = buildTestExporter({ edit: withLabels() });
    expect(after.state.restore(snapshot, Date.now())).toEqual([]);
    expect(await label(after, [{ prediction_id: 'p1', label: 'fraud' }])).toMatchObject({ accepted: 1 });
    // Joined and counted, but with no confidence there is no expected row to add.
    expect(await labelledExpected(after, 'fraud', 'fraud')).toBe(0);
  });
});
