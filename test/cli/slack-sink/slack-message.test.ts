import { SlackMessageError, parseSlackMessage } from '../../../cli/src/slack-sink/slack-message';

/** What Alertmanager 0.25's Slack notifier posts (fields it leaves empty are omitted). */
const ALERTMANAGER_PAYLOAD = {
  channel: '#fraud-oncall',
  username: 'Alertmanager',
  attachments: [
    {
      title: '[CRITICAL] MLWatchDatasetDrift · model fraud',
      title_link: 'http://localhost:3000/d/mlwatch-model-drift?var-model=fraud',
      text: '• *Dataset drift on model fraud*',
      fallback:
        '[CRITICAL] MLWatchDatasetDrift · model fraud · runbook: http://localhost:9420/runbooks/MLWatchDatasetDrift',
      color: 'danger',
      mrkdwn_in: ['fallback', 'pretext', 'text'],
      actions: [
        { type: 'button', text: 'Runbook', url: 'http://localhost:9420/runbooks/MLWatchDatasetDrift' },
        { type: 'button', text: 'Dashboard', url: 'http://localhost:3000/d/mlwatch-model-drift?var-model=fraud' },
        {
          type: 'button',
          text: 'Silence',
          url: 'http://localhost:9093/#/silences/new?filter=%7Bmodel%3D%22fraud%22%7D',
        },
      ],
    },
  ],
};

describe('parseSlackMessage', () => {
  test("accepts Alertmanager's Slack payload and keeps every field as it came", () => {
    expect(parseSlackMessage(ALERTMANAGER_PAYLOAD)).toEqual(ALERTMANAGER_PAYLOAD);
  });

  test('accepts a plain text message, attachments defaulting to none', () => {
    expect(parseSlackMessage({ text: 'hello' })).toEqual({ text: 'hello', attachments: [] });
  });

  test.each([
    [[], 'expected a JSON object, got an array'],
    ['text', 'expected a JSON object, got "text"'],
    [{ channel: 7, text: 'x' }, 'channel: expected a string, got a number'],
    [{ attachments: {} }, 'attachments: expected an array, got an object'],
    [{ attachments: [null] }, 'attachments[0]: expected an object, got null'],
    [{ attachments: [{ title: 'ok' }, { color: true }] }, 'attachments[1].color: expected a string, got a boolean'],
    [{ channel: '#x' }, 'text or attachments: a message needs one of them'],
    [{ attachments: [{ actions: {} }] }, 'attachments[0].actions: expected an array, got an object'],
    [{ attachments: [{ actions: [{ type: 'button' }] }] }, 'attachments[0].actions[0].text: required'],
    [
      { attachments: [{ actions: [{ type: 'button', text: 'Runbook', url: 3 }] }] },
      'attachments[0].actions[0].url: expected a string, got a number',
    ],
  ])('refuses %j naming the field: %s', (body, message) => {
    expect(() => parseSlackMessage(body)).toThrow(new SlackMessageError(message));
  });
});
