import yaml from 'js-yaml';
import { parseSpec } from '../../spec/src/load-spec';
import { conversionEvent, valueEvent, type ModelSpec } from '../../spec/src/schema';
import { SpecError } from '../../spec/src/spec-error';
import { modelNamed, readDemoSpec } from '../support/demo-spec';
import type { Doc } from '../support/document';

/** The demo spec's fraud model after `edit` (of the fraud model document), parsed. */
function fraudWith(edit: (fraud: Doc) => void): ModelSpec {
  const spec = readDemoSpec();
  edit(modelNamed(spec, 'fraud'));
  const model = parseSpec(yaml.dump(spec), 'test.yaml').spec.models.find((m) => m.name === 'fraud');
  if (model === undefined) throw new Error('no fraud model');
  return model;
}

/** The problems of the demo spec after `edit` of its fraud model. */
function problemsOf(edit: (fraud: Doc) => void): string[] {
  try {
    fraudWith(edit);
  } catch (error) {
    if (error instanceof SpecError) return error.problems;
    throw error;
  }
  throw new Error('expected the spec to be rejected');
}

describe('the outcomes section', () => {
  test('the demo declares checkout and chargeback with values in EUR; defaults fill the rest', () => {
    const fraud = fraudWith((m) => {
      m['outcomes'] = { events: { click: {}, purchase: { value: true, currency: 'EUR' } } };
    });
    expect(fraud.outcomes).toEqual({
      events: { click: { value: false }, purchase: { value: true, currency: 'EUR' } },
      attribution_delay_seconds: 0,
      windows_seconds: [3600, 86400],
      min_predictions: 500,
    });
    const outcomes = fraud.outcomes;
    if (outcomes === undefined) throw new Error('no outcomes');
    // The first declared event is the conversion event; the first with a value is the value event.
    expect(conversionEvent(outcomes)).toBe('click');
    expect(valueEvent(outcomes)).toBe('purchase');
  });

  test('conversion_event and value_event choose among the declared events', () => {
    const outcomes = fraudWith((m) => {
      m['outcomes'] = {
        events: { click: {}, checkout: { value: true }, refund: { value: true } },
        conversion_event: 'checkout',
        value_event: 'refund',
      };
    }).outcomes;
    if (outcomes === undefined) throw new Error('no outcomes');
    expect(conversionEvent(outcomes)).toBe('checkout');
    expect(valueEvent(outcomes)).toBe('refund');
  });

  test('an undeclared conversion_event or value_event is refused naming its path and the declared events', () => {
    expect(
      problemsOf((m) => {
        m['outcomes'] = { events: { click: {}, checkout: { value: true } }, conversion_event: 'purchase' };
      }),
    ).toEqual(['models[0].outcomes.conversion_event: not a declared event (expected one of click, checkout)']);
    expect(
      problemsOf((m) => {
        m['outcomes'] = { events: { click: {} }, value_event: 'purchase' };
      }),
    ).toEqual(['models[0].outcomes.value_event: not a declared event (expected one of click)']);
  });

  test('a value_event declared without a value, a currency without a value and a value_drop_share without any value event are refused', () => {
    expect(
      problemsOf((m) => {
        m['outcomes'] = { events: { click: {}, checkout: { value: true } }, value_event: 'click' };
      }),
    ).toEqual(['models[0].outcomes.value_event: that event is declared without a value']);
    expect(
      problemsOf((m) => {
        m['outcomes'] = { events: { click: { currency: 'EUR' } } };
      }),
    ).toEqual(['models[0].outcomes.events.click.currency: only an event with value: true has a currency']);
    expect(
      problemsOf((m) => {
        m['outcomes'] = { events: { click: {} }, value_drop_share: 0.2 };
      }),
    ).toEqual(['models[0].outcomes.value_drop_share: no declared event has a value (value: true)']);
  });

  test('no events, an event name that is not an identifier and a bad currency are refused naming the path', () => {
    expect(
      problemsOf((m) => {
        m['outcomes'] = { events: { 'add-to-cart': {}, checkout: { value: true, currency: 'euro' } } };
      }),
    ).toEqual([
      'models[0].outcomes.events.add-to-cart: Invalid key in record',
      'models[0].outcomes.events.checkout.currency: expected an ISO 4217 currency code like EUR',
    ]);
    expect(
      problemsOf((m) => {
        m['outcomes'] = { events: {} };
      }),
    ).toEqual(['models[0].outcomes.events: declare at least one event']);
  });

  test('a window given twice is refused naming windows_seconds', () => {
    const problems = problemsOf((m) => {
      m['outcomes'] = { events: { click: {} }, windows_seconds: [3600, 3600] };
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^models\[0\]\.outcomes\.windows_seconds/);
  });
});

describe('the canary section', () => {
  test('the demo judges v2 against v1; defaults fill level, min_volume and window', () => {
    const fraud = fraudWith((m) => {
      m['canary'] = { baseline: 'v1', candidate: 'v2' };
    });
    expect(fraud.canary).toEqual({
      baseline: 'v1',
      candidate: 'v2',
      level: 0.01,
      min_volume: 1000,
      window_seconds: 3600,
    });
  });

  test('a candidate or baseline that is not a version of the model is refused naming the path and the versions', () => {
    expect(
      problemsOf((m) => {
        m['canary'] = { baseline: 'v1', candidate: 'v3' };
      }),
    ).toEqual(['models[0].canary.candidate: not a version of this model (expected one of v1, v2)']);
    expect(
      problemsOf((m) => {
        m['canary'] = { baseline: 'v0', candidate: 'v2' };
      }),
    ).toEqual(['models[0].canary.baseline: not a version of this model (expected one of v1, v2)']);
  });

  test('a candidate equal to the baseline is refused', () => {
    expect(
      problemsOf((m) => {
        m['canary'] = { baseline: 'v1', candidate: 'v1' };
      }),
    ).toEqual(['models[0].canary.candidate: must differ from the baseline']);
  });

  test('a level outside (0, 0.5] and a min_volume below 1 are refused naming the path', () => {
    const problems = problemsOf((m) => {
      m['canary'] = { baseline: 'v1', candidate: 'v2', level: 0.6, min_volume: 0 };
    });
    expect(problems.map((p) => p.split(':')[0])).toEqual(['models[0].canary.level', 'models[0].canary.min_volume']);
  });
});
