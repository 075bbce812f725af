/** Prometheus text exposition format (version 0.0.4): pure formatting helpers. */

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Escapes a label value: backslash, double quote and newline. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** `{a="x",b="y"}` for the given names and values, or '' when there are none. */
export function formatLabels(names: readonly string[], values: readonly string[]): string {
  if (names.length === 0) return '';
  let out = '{';
  for (let i = 0; i < names.length; i++) {
    if (i > 0) out += ',';
    out += names[i] + '="' + escapeLabelValue(values[i] ?? '') + '"';
  }
  return out + '}';
}

export function formatNumber(value: number): string {
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  if (Number.isNaN(value)) return 'NaN';
  return String(value);
}

export function formatHeader(name: string, help: string, type: 'counter' | 'gauge' | 'histogram'): string {
  return (
    '# HELP ' +
    name +
    ' ' +
    help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n') +
    '\n# TYPE ' +
    name +
    ' ' +
    type +
    '\n'
  );
}
