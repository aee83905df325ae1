/**
 * Values for every dashboard variable as a reader who picked model `fraud` and left the rest at
 * "All" sees them: the datasource's uid, and the regexes Grafana puts in for "All".
 */
export const DEMO_VARIABLE_VALUES: Readonly<Record<string, string>> = {
  datasource: 'mlwatch-prometheus',
  job: '.+',
  instance: '.+',
  model: 'fraud',
  version: '.*',
  feature: '.*',
};
