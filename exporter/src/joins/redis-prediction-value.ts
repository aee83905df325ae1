import type { JoinedPrediction } from './join-store';

/** Separates the fields of a prediction value; model and version names are identifiers, so it never occurs in them. */
const SEPARATOR = '|';
const FIELDS = 6;

/**
 * A prediction as the Redis join store keeps it: `model|version|classIndex|output|confidence|timeMs`,
 * e.g. `fraud|v1|1|NaN|0.93|1764768000000` (about 40 bytes). Numbers are written by `String`, which
 * round-trips every double, NaN included.
 */
export function encodePredictionValue(prediction: JoinedPrediction): string {
  const { model, version, classIndex, output, confidence, timeMs } = prediction;
  return `${model}|${version}|${classIndex}|${output}|${confidence}|${timeMs}`;
}

/** The prediction in a value written by encodePredictionValue; throws naming the value when it is not one. */
export function decodePredictionValue(value: string): JoinedPrediction {
  const parts = value.split(SEPARATOR);
  const [model, version, classIndex, output, confidence, timeMs] = parts;
  if (
    parts.length !== FIELDS ||
    model === undefined ||
    version === undefined ||
    classIndex === undefined ||
    output === undefined ||
    confidence === undefined ||
    timeMs === undefined
  ) {
    throw new Error(`join store value ${JSON.stringify(value)}: expected ${FIELDS} fields separated by "${SEPARATOR}"`);
  }
  return {
    model,
    version,
    classIndex: Number(classIndex),
    output: Number(output),
    confidence: Number(confidence),
    timeMs: Number(timeMs),
  };
}
