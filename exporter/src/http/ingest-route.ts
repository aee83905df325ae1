import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { describeValue } from '../ingest/describe-value';
import { validateEvent, type ValidEvent } from '../ingest/event-validator';
import type { PredictionLogEntry } from '../logging/prediction-log';
import type { AcceptedPredictionRecorder } from '../serving/accepted-prediction';
import type { AppDeps } from './app-deps';
import { HttpError } from './http-error';

/** One refused event in an ingest response. */
export interface RejectedEvent {
  index: number;
  reason: string;
  field: string;
  message: string;
}

/**
 * Handles `POST /v1/events/predictions`: each event is validated on its own, valid ones
 * are recorded (once per recent `prediction_id`: a retry is a duplicate) and invalid ones
 * listed by index, so one bad event never costs the batch.
 */
export function ingestHandler(
  deps: AppDeps,
  recorder: AcceptedPredictionRecorder,
): (req: Request, res: Response) => void {
  const maxEvents = deps.spec.exporter.max_batch_events;
  return (req, res) => {
    const events = readEvents(req.body, maxEvents);
    const rejected: RejectedEvent[] = [];
    let accepted = 0;
    let duplicates = 0;
    // One arrival time per batch: the events arrived together, and Date.now() per event is not free.
    const nowMs = Date.now();
    for (let index = 0; index < events.length; index++) {
      const result = validateEvent(events[index], deps.catalog);
      if ('reason' in result) {
        deps.metrics.reject(result.reason);
        const field = `events[${index}].${result.field}`;
        rejected.push({
          index,
          reason: result.reason,
          field,
          message: `${field}${result.message.slice(result.field.length)}`,
        });
        continue;
      }
      // Synchronously after its validation: the recorder reads the features the validator just read.
      // A valid event whose id was seen recently (a retry) is a duplicate: counted once, already.
      if (recorder.recordChecked(result, 'ingest', logEntry, nowMs)) accepted++;
      else duplicates++;
    }
    // A batch with nothing usable is a client error; a partly good one (or a retry of counted events) is a success.
    if (accepted === 0 && duplicates === 0 && rejected.length > 0) {
      res.status(400).json({
        accepted,
        duplicates,
        rejected,
        error: { code: 'invalid_request', message: `all ${rejected.length} events were rejected; see "rejected"` },
      });
      return;
    }
    res.json({ accepted, duplicates, rejected });
  };
}

/** The `events` list of a batch body, refused whole when malformed or longer than `maxEvents`. */
export function readEvents(body: unknown, maxEvents: number, noun = 'prediction events'): unknown[] {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new HttpError(
      400,
      'invalid_request',
      `body: expected an object like {"events": [...]}, got ${describeValue(body)}`,
      'body',
    );
  }
  const record = body as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (key !== 'events') throw new HttpError(400, 'invalid_field', `${key}: unknown field (expected "events")`, key);
  }
  const events = record['events'];
  if (!Array.isArray(events))
    throw new HttpError(
      400,
      'invalid_request',
      `events: expected a list of ${noun}, got ${describeValue(events)}`,
      'events',
    );
  if (events.length > maxEvents) {
    throw new HttpError(
      413,
      'batch_too_large',
      `events: ${events.length} events exceed the limit of ${maxEvents} per request (exporter.max_batch_events)`,
      'events',
      {
        rejectedEvents: events.length,
      },
    );
  }
  return events;
}

/** The prediction log line of an ingested event. */
function logEntry(event: ValidEvent): PredictionLogEntry {
  return {
    prediction_id: event.predictionId ?? randomUUID(),
    model: event.model.spec.name,
    version: event.slot.version,
    source: 'ingest',
    status: event.status,
    input: event.features,
    ...(event.prediction === undefined
      ? {}
      : { output: { prediction: event.prediction, confidence: event.confidence } }),
    ...(event.latencySeconds === undefined ? {} : { latency_ms: event.latencySeconds * 1000 }),
    ...(event.eventTimeMs === undefined ? {} : { event_time: new Date(event.eventTimeMs).toISOString() }),
  };
}
