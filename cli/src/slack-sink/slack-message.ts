/**
 * The part of Slack's incoming-webhook payload that Alertmanager's Slack notifier sends
 * (`channel`, `username`, `attachments[]` with `title`, `text`, `color`, …). Fields the sink
 * does not read are kept as they came, so the recorded message is the payload itself.
 */
/** A link button under an attachment (Alertmanager's Slack `actions`). */
export interface SlackAction {
  readonly type: string;
  readonly text: string;
  readonly url?: string;
  readonly [field: string]: unknown;
}

export interface SlackAttachment {
  readonly actions?: readonly SlackAction[];
  readonly title?: string;
  readonly title_link?: string;
  readonly text?: string;
  readonly color?: string;
  readonly fallback?: string;
  readonly [field: string]: unknown;
}

export interface SlackMessage {
  readonly channel?: string;
  readonly username?: string;
  readonly text?: string;
  readonly attachments: readonly SlackAttachment[];
  readonly [field: string]: unknown;
}

/** A payload that is not a Slack message; the message names the field, as Slack's own 400 would. */
export class SlackMessageError extends Error {
  override readonly name = 'SlackMessageError';
}

const STRING_FIELDS = ['channel', 'username', 'text'] as const;
const ATTACHMENT_STRING_FIELDS = ['title', 'title_link', 'text', 'color', 'fallback'] as const;

/** Checks a parsed JSON body against the Slack message shape; throws SlackMessageError naming the bad field. */
export function parseSlackMessage(body: unknown): SlackMessage {
  if (!isObject(body)) throw new SlackMessageError(`expected a JSON object, got ${describe(body)}`);
  for (const field of STRING_FIELDS) requireOptionalString(body, field, field);
  const attachments = body['attachments'] ?? [];
  if (!Array.isArray(attachments))
    throw new SlackMessageError(`attachments: expected an array, got ${describe(attachments)}`);
  attachments.forEach((attachment: unknown, i) => {
    if (!isObject(attachment))
      throw new SlackMessageError(`attachments[${i}]: expected an object, got ${describe(attachment)}`);
    for (const field of ATTACHMENT_STRING_FIELDS)
      requireOptionalString(attachment, field, `attachments[${i}].${field}`);
    const actions = attachment['actions'] ?? [];
    if (!Array.isArray(actions))
      throw new SlackMessageError(`attachments[${i}].actions: expected an array, got ${describe(actions)}`);
    actions.forEach((action: unknown, j) => {
      const where = `attachments[${i}].actions[${j}]`;
      if (!isObject(action)) throw new SlackMessageError(`${where}: expected an object, got ${describe(action)}`);
      // Slack needs a type and a text on every action; a button's url is optional there.
      for (const field of ['type', 'text'] as const)
        if (typeof action[field] !== 'string')
          throw new SlackMessageError(
            `${where}.${field}: ${action[field] === undefined ? 'required' : `expected a string, got ${describe(action[field])}`}`,
          );
      requireOptionalString(action, 'url', `${where}.url`);
    });
  });
  // Slack refuses a message with nothing to show ("no_text"); so does the sink.
  if (body['text'] === undefined && attachments.length === 0)
    throw new SlackMessageError('text or attachments: a message needs one of them');
  return { ...body, attachments };
}

function requireOptionalString(object: Record<string, unknown>, field: string, where: string): void {
  const value = object[field];
  if (value !== undefined && typeof value !== 'string')
    throw new SlackMessageError(`${where}: expected a string, got ${describe(value)}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value);
  return typeof value === 'object' || typeof value === 'undefined' ? `an ${typeof value}` : `a ${typeof value}`;
}
